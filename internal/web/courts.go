package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/courts"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
)

type courtRow struct {
	Code, Name, Level, Divisions string
	Depth, Users                 int
}

func (s *Server) courtList(w http.ResponseWriter, r *http.Request, rq *request) {
	cs, err := s.DB.Courts(r.Context(), rq.viewer)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	counts, err := s.DB.CountUsersByCourt(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := strings.Count(rq.viewer.AdminScope(), "/")
	rows := make([]courtRow, len(cs))
	for i, c := range cs {
		depth := strings.Count(c.Path, "/") - base - 1
		rows[i] = courtRow{Code: c.Code, Name: c.Name, Level: c.Level.Label(), Divisions: strings.Join(c.Divisions, ";"), Depth: min(max(depth, 0), 3), Users: counts[c.ID]}
	}
	s.render(w, r, http.StatusOK, "courts", &page{Title: "法院管理", Data: struct{ Courts []courtRow }{rows}})
}

func (s *Server) courtImport(w http.ResponseWriter, r *http.Request, rq *request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<20)
	f, _, err := r.FormFile("file")
	if err != nil {
		s.fail(w, r, domain.Errorf(domain.ErrInvalid, "请选择不超过4MB的CSV文件。"))
		return
	}
	defer f.Close()
	list, err := courts.Parse(f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var res store.ImportResult
	err = s.DB.Update(r.Context(), rq.viewer, func(tx *store.Tx) error {
		var err error
		res, err = tx.UpsertCourts(r.Context(), list, true)
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, fmt.Sprintf("法院目录已导入：新增%d个，更新%d个，未变%d个。", res.Added, res.Updated, res.Unchanged))
	http.Redirect(w, r, "/admin/courts", http.StatusSeeOther)
}

type courtFormData struct {
	Court struct {
		Code, Name, ParentName, Level, Divisions string
	}
	Departments []struct {
		ID         int64
		Name, Kind string
		Users      int
	}
	KindOptions []option
	Errors      map[string]string
	// Posts are the court's co-leaders and liaisons, each with the
	// members who may hold it.
	Posts []postRow
}

// postRow is one post of a court as pages show it.
type postRow struct {
	Post, Label, Holder, Since string
	Vacant                     bool
	Options                    []option
}

func (s *Server) courtForm(w http.ResponseWriter, r *http.Request, rq *request, status int, code string, edit *domain.Court, errs map[string]string, errMsg string) {
	c, err := s.DB.CourtByCode(r.Context(), code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !strings.HasPrefix(c.Path, rq.viewer.AdminScope()) {
		s.fail(w, r, domain.ErrNotFound)
		return
	}
	var d courtFormData
	d.Errors = errs
	d.Court.Code, d.Court.Name, d.Court.Level, d.Court.Divisions = c.Code, c.Name, c.Level.Label(), strings.Join(c.Divisions, ";")
	if edit != nil {
		d.Court.Name, d.Court.Divisions = edit.Name, strings.Join(edit.Divisions, ";")
	}
	if c.ParentCode != "" {
		if p, err := s.DB.CourtByCode(r.Context(), c.ParentCode); err == nil {
			d.Court.ParentName = p.Name
		}
	}
	depts, err := s.DB.Departments(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	users, _, err := s.DB.Users(r.Context(), rq.viewer, store.UserFilter{Query: c.Code, Page: store.PageReq{All: true}})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, holders, err := s.DB.CourtPosts(r.Context(), rq.viewer, c.Code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	candidates, err := s.DB.PostCandidates(r.Context(), rq.viewer, c.Code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Posts = courtPostRows(holders, candidates)
	perDept := map[int64]int{}
	for _, u := range users {
		if u.CourtID == c.ID {
			perDept[u.DepartmentID]++
		}
	}
	for _, dp := range depts {
		d.Departments = append(d.Departments, struct {
			ID         int64
			Name, Kind string
			Users      int
		}{dp.ID, dp.Name, dp.Kind.Label(), perDept[dp.ID]})
	}
	for _, k := range domain.DepartmentKinds {
		d.KindOptions = append(d.KindOptions, option{Value: string(k), Label: k.Label()})
	}
	s.render(w, r, status, "court_form", &page{Title: "编辑法院", Error: errMsg, Data: d})
}

// courtPostRows builds the rows of a court's posts; with candidates, each
// row offers those who qualify, the holder selected.
func courtPostRows(holders []store.PostHolder, candidates []store.PostCandidate) []postRow {
	var rows []postRow
	for _, h := range holders {
		row := postRow{Post: string(h.Post), Label: h.Post.Label(), Holder: h.Name, Vacant: h.UserID == 0}
		if !row.Vacant {
			row.Since = formatTime(h.At) + "（" + h.By + "）"
		}
		for _, c := range candidates {
			if slices.Contains(c.Posts, h.Post) {
				row.Options = append(row.Options, option{Value: strconv.FormatInt(c.UserID, 10), Label: c.Name, Selected: c.UserID == h.UserID})
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// courtPostsSave records the posts posted from the court's page, one by
// one as they differ from what is held.
func (s *Server) courtPostsSave(w http.ResponseWriter, r *http.Request, rq *request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	code := r.PathValue("code")
	_, holders, err := s.DB.CourtPosts(r.Context(), rq.viewer, code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, h := range holders {
		raw, ok := r.PostForm["post_"+string(h.Post)]
		if !ok {
			continue
		}
		id, perr := strconv.ParseInt(strings.TrimSpace(raw[0]), 10, 64)
		if strings.TrimSpace(raw[0]) == "" {
			id, perr = 0, nil
		}
		if perr != nil {
			s.courtForm(w, r, rq, http.StatusUnprocessableEntity, code, nil, nil, h.Post.Label()+"：所选人员不存在")
			return
		}
		if id == h.UserID {
			continue
		}
		if err := s.DB.AppointPost(r.Context(), rq.viewer, code, h.Post, id); err != nil {
			if fe := fieldErrors(err); fe != nil {
				s.courtForm(w, r, rq, http.StatusUnprocessableEntity, code, nil, fe, domain.UserMessage(err))
				return
			}
			s.fail(w, r, err)
			return
		}
	}
	s.flash(w, r, "已保存领导和联络员。")
	http.Redirect(w, r, "/admin/courts/"+url.PathEscape(code), http.StatusSeeOther)
}

// courtPosts shows the three bodies a court's co-leaders and liaisons,
// warning where a post is vacant.
func (s *Server) courtPosts(w http.ResponseWriter, r *http.Request, rq *request) {
	code := r.URL.Query().Get("court")
	if code == "" {
		code = rq.user.CourtCode
	}
	c, holders, err := s.DB.CourtPosts(r.Context(), rq.viewer, code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows := courtPostRows(holders, nil)
	vacant := 0
	for _, row := range rows {
		if row.Vacant {
			vacant++
		}
	}
	s.render(w, r, http.StatusOK, "court_posts", &page{Title: "领导与联络员", Data: struct {
		Court  string
		Posts  []postRow
		Vacant int
	}{c.Name, rows, vacant}})
}

func (s *Server) courtEdit(w http.ResponseWriter, r *http.Request, rq *request) {
	s.courtForm(w, r, rq, http.StatusOK, r.PathValue("code"), nil, nil, "")
}

func (s *Server) courtUpdate(w http.ResponseWriter, r *http.Request, rq *request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	code := r.PathValue("code")
	edit := &domain.Court{Name: r.PostFormValue("name"), Divisions: domain.ParseDivisions(r.PostFormValue("divisions"))}
	err := s.DB.Update(r.Context(), rq.viewer, func(tx *store.Tx) error {
		return tx.UpdateCourt(r.Context(), code, edit.Name, edit.Divisions)
	})
	if err != nil {
		if fe := fieldErrors(err); fe != nil {
			s.courtForm(w, r, rq, http.StatusUnprocessableEntity, code, edit, fe, "")
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "已保存。")
	http.Redirect(w, r, "/admin/courts/"+code, http.StatusSeeOther)
}

func (s *Server) departmentAdd(w http.ResponseWriter, r *http.Request, rq *request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	code := r.PathValue("code")
	c, err := s.DB.CourtByCode(r.Context(), code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	var added bool
	err = s.DB.Update(r.Context(), rq.viewer, func(tx *store.Tx) error {
		var err error
		_, added, err = tx.EnsureDepartment(r.Context(), c, name, domain.DepartmentKind(r.PostFormValue("kind")))
		return err
	})
	if err != nil {
		if fieldErrors(err) != nil {
			s.courtForm(w, r, rq, http.StatusUnprocessableEntity, code, nil, nil, domain.UserMessage(err))
			return
		}
		s.fail(w, r, err)
		return
	}
	if added {
		s.flash(w, r, "已添加部门 "+name+"。")
	} else {
		s.flash(w, r, "部门 "+name+" 已存在。")
	}
	http.Redirect(w, r, "/admin/courts/"+code, http.StatusSeeOther)
}
