package web

import (
	"fmt"
	"net/http"
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
	users, err := s.DB.Users(r.Context(), rq.viewer, store.UserFilter{Query: c.Code, Limit: 1000})
	if err != nil {
		s.fail(w, r, err)
		return
	}
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
