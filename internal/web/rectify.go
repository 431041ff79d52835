package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/tracking"
)

// rectItemView is an item as the pages show it, with what the viewer may
// do with it.
type rectItemView struct {
	store.RectItem
	Shown                oversight.ItemState
	Overdue              bool
	CanReport, CanDecide bool
}

type rectView struct {
	*store.Rectification
	Items     []rectItemView
	CanAssign bool
	Open      int // items not accepted
}

func (s *Server) viewRect(v domain.Viewer, r *store.Rectification) rectView {
	today := s.today()
	rv := rectView{Rectification: r, CanAssign: oversight.CanAssign(v, oversight.Rect{CourtPath: r.CourtPath, IssuerCourtPath: r.IssuerCourtPath})}
	for _, it := range r.Items {
		rc := oversight.Rect{CourtPath: r.CourtPath, IssuerCourtPath: r.IssuerCourtPath, Responsible: it.ResponsibleID}
		iv := rectItemView{RectItem: it, Shown: it.Shown(today), Overdue: oversight.Overdue(it.State, it.Deadline, today),
			CanReport: oversight.CanReport(v, rc) && oversight.CanMove(it.State, "report"),
			CanDecide: oversight.CanAccept(v, rc) && oversight.CanMove(it.State, "accept")}
		if it.State != oversight.StateClosed {
			rv.Open++
		}
		rv.Items = append(rv.Items, iv)
	}
	return rv
}

// rectList lists the rectifications the viewer may see: by court for the
// watchdogs and the bureau, his own items for a responsible person.
func (s *Server) rectList(w http.ResponseWriter, r *http.Request, rq *request) {
	q := r.URL.Query()
	f := store.RectFilter{Court: strings.TrimSpace(q.Get("court")), State: oversight.ItemState(q.Get("state"))}
	narrowed, err := s.rectNarrow(r, rq, &f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list := newListing(r, store.RectSorts)
	rs, info, err := s.DB.RectificationPage(r.Context(), rq.viewer, f, list.Req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(rs) == 0 && !oversight.SeesRectifications(rq.viewer) && f == (store.RectFilter{}) {
		s.fail(w, r, domain.Errorf(domain.ErrForbidden, "您没有可查看的整改事项。"))
		return
	}
	var rows []rectView
	for _, x := range rs {
		rows = append(rows, s.viewRect(rq.viewer, x))
	}
	s.render(w, r, http.StatusOK, "rectifications", &page{Title: "改进意见建议、整改", Data: map[string]any{
		"Rows": rows, "Filter": f, "States": oversight.ItemStates, "CanIssue": rq.viewer.IsWatchdog(), "List": list.done(info),
		"ManyCourts": manyCourts(rs, func(x *store.Rectification) string { return x.CourtPath }),
		"Narrowed":   narrowed, "Period": strings.TrimSpace(q.Get("period"))}})
}

// rectNarrow narrows f as the cockpit's figures ask: ?source= (the
// rectifications of a source), ?period= (opened then), ?rec= (their
// state as a whole on today) and ?items= (with items open or overdue,
// counted). It returns the words that say so, "" when
// none is given.
func (s *Server) rectNarrow(r *http.Request, rq *request, f *store.RectFilter) (string, error) {
	q := r.URL.Query()
	var narrowed []string
	switch k := oversight.SourceKind(q.Get("source")); k {
	case "":
	case oversight.SourceSuggestion, oversight.SourceRecommendation, oversight.SourceInspection:
		f.Source = k
		narrowed = append(narrowed, k.Label())
	default:
		return "", domain.Errorf(domain.ErrInvalid, "整改来源“%s”无效。", k)
	}
	if period := strings.TrimSpace(q.Get("period")); period != "" {
		p, err := overview.ParsePeriod(period, s.today())
		if err != nil {
			return "", err
		}
		f.Created = p
		narrowed = append(narrowed, p.Label()+"提出")
	}
	switch st := tracking.RecState(q.Get("rec")); st {
	case "":
	case tracking.RecOpen, tracking.RecClosed, tracking.RecOverdue:
		f.Rec = st
		narrowed = append(narrowed, "整改状态为"+st.Label())
	default:
		return "", domain.Errorf(domain.ErrInvalid, "整改状态“%s”无效。", st)
	}
	switch st := tracking.RecState(q.Get("items")); st {
	case "":
	case tracking.RecOpen, tracking.RecOverdue:
		f.Items = st
		n, err := s.DB.RectItemCount(r.Context(), rq.viewer, *f)
		if err != nil {
			return "", err
		}
		narrowed = append(narrowed, fmt.Sprintf("有%s事项的整改（共%d项，尚未分解事项的整改计一项）", map[tracking.RecState]string{tracking.RecOpen: "未完成、未逾期", tracking.RecOverdue: "逾期"}[st], n))
	default:
		return "", domain.Errorf(domain.ErrInvalid, "整改事项状态“%s”无效。", st)
	}
	if len(narrowed) == 0 {
		return "", nil
	}
	if f.Court != "" {
		c, err := s.DB.CourtByCode(r.Context(), f.Court)
		if err != nil {
			return "", err
		}
		narrowed = append([]string{c.Name + "及辖区法院"}, narrowed...)
	}
	return strings.Join(narrowed, "，"), nil
}

type suggestionForm struct {
	Court, Problem, Evidence, Improve, Deadline string
	Errors                                      map[string]string
}

// rectNew shows the suggestion form to a watchdog.
func (s *Server) rectNew(w http.ResponseWriter, r *http.Request, rq *request) {
	if !oversight.CanIssue(rq.viewer, rq.viewer.CourtPath) {
		s.fail(w, r, domain.Errorf(domain.ErrForbidden, "只有纪检监察组、监察室可以提出改进意见建议。"))
		return
	}
	s.render(w, r, http.StatusOK, "rectification_new", &page{Title: "提出改进意见建议", Data: suggestionForm{Court: rq.viewer.CourtCode,
		Deadline: s.today().AddDays(30).String()}})
}

// rectCreate issues a suggestion and opens its rectification.
func (s *Server) rectCreate(w http.ResponseWriter, r *http.Request, rq *request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	pf := r.PostFormValue
	f := suggestionForm{Court: strings.TrimSpace(pf("court")), Problem: pf("problem"), Evidence: pf("evidence"), Improve: pf("improve"), Deadline: pf("deadline")}
	in := oversight.Suggestion{Problem: f.Problem, Evidence: f.Evidence, Improve: f.Improve}
	var err error
	if f.Deadline != "" {
		if in.Deadline, err = domain.ParseDate(f.Deadline); err != nil {
			err = domain.Invalid("deadline", "日期格式应为 2026-01-31")
		}
	}
	var id int64
	if err == nil {
		if f.Court == "" {
			f.Court = rq.viewer.CourtCode
		}
		id, err = s.DB.IssueSuggestion(r.Context(), rq.viewer, f.Court, in)
	}
	if err != nil {
		if f.Errors = fieldErrors(err); f.Errors != nil {
			s.render(w, r, http.StatusUnprocessableEntity, "rectification_new", &page{Title: "提出改进意见建议", Data: f})
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "已提出改进意见建议，已通知该院执行局联络员。")
	http.Redirect(w, r, fmt.Sprintf("/rectifications/%d", id), http.StatusSeeOther)
}

// rectShow shows a rectification with the items the viewer may see.
func (s *Server) rectShow(w http.ResponseWriter, r *http.Request, rq *request) {
	s.renderRect(w, r, rq, http.StatusOK, nil)
}

func (s *Server) renderRect(w http.ResponseWriter, r *http.Request, rq *request, status int, errs map[string]string) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	x, err := s.DB.Rectification(r.Context(), rq.viewer, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var people []store.PostCandidate
	rv := s.viewRect(rq.viewer, x)
	if rv.CanAssign {
		people, err = s.DB.RectCandidates(r.Context(), rq.viewer, x.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
	}
	var fs formState
	if errs != nil {
		fs = formState{Values: r.PostForm, Errors: errs}
	}
	s.render(w, r, status, "rectification", &page{Title: "整改：" + x.Title, Form: fs, Data: map[string]any{
		"R": rv, "Errors": errs, "People": people, "Today": s.today().String()}})
}

func itemID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("item"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.ErrNotFound
	}
	return id, nil
}

// rectAct runs one step on a rectification from a posted form, and comes
// back to its page; refused input shows the page with the messages.
func (s *Server) rectAct(step func(r *http.Request, rq *request, id int64) (string, error)) handler {
	return func(w http.ResponseWriter, r *http.Request, rq *request) {
		id, err := pathID(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
			if err := parseForm(w, r); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		msg, err := step(r, rq, id)
		if err != nil {
			if fe := fieldErrors(err); fe != nil {
				s.renderRect(w, r, rq, http.StatusUnprocessableEntity, fe)
				return
			}
			var de *domain.Error
			if errors.As(err, &de) && de.Field != "" {
				s.renderRect(w, r, rq, http.StatusUnprocessableEntity, map[string]string{de.Field: de.Message})
				return
			}
			s.fail(w, r, err)
			return
		}
		s.flash(w, r, msg)
		http.Redirect(w, r, fmt.Sprintf("/rectifications/%d", id), http.StatusSeeOther)
	}
}

func formDate(r *http.Request, field string) (domain.Date, error) {
	v := strings.TrimSpace(r.PostFormValue(field))
	if v == "" {
		return domain.Date{}, nil
	}
	d, err := domain.ParseDate(v)
	if err != nil {
		return d, domain.Invalid(field, "日期格式应为 2026-01-31")
	}
	return d, nil
}

func (s *Server) rectAddItem(r *http.Request, rq *request, id int64) (string, error) {
	d, err := formDate(r, "deadline")
	if err != nil {
		return "", err
	}
	who, _ := strconv.ParseInt(r.PostFormValue("responsible"), 10, 64)
	_, err = s.DB.AddRectItem(r.Context(), rq.viewer, id, oversight.Item{Unit: r.PostFormValue("unit"), Responsible: who, Deadline: d, Task: r.PostFormValue("task")})
	return "整改事项已分解，已通知责任人。", err
}

func (s *Server) rectReport(r *http.Request, rq *request, id int64) (string, error) {
	item, err := itemID(r)
	if err != nil {
		return "", err
	}
	on, err := formDate(r, "rule_on")
	if err != nil {
		return "", err
	}
	rp := oversight.Report{Measures: r.PostFormValue("measures"), Outcome: r.PostFormValue("outcome"), Submit: r.PostFormValue("submit") == "1",
		Rule: oversight.Rule{Title: r.PostFormValue("rule_title"), Number: r.PostFormValue("rule_number"), On: on}}
	if err := s.DB.ReportRectItem(r.Context(), rq.viewer, id, item, rp); err != nil {
		return "", err
	}
	if rp.Submit {
		return "已提请验收。", nil
	}
	return "整改情况已保存。", nil
}

func (s *Server) rectDecide(r *http.Request, rq *request, id int64) (string, error) {
	item, err := itemID(r)
	if err != nil {
		return "", err
	}
	accept := r.PostFormValue("decision") == "accept"
	if err := s.DB.DecideRectItem(r.Context(), rq.viewer, id, item, accept, r.PostFormValue("return_note")); err != nil {
		return "", err
	}
	if accept {
		return "已验收销号。", nil
	}
	return "已退回。", nil
}

// rectUpload keeps an evidence file with an item.
func (s *Server) rectUpload(r *http.Request, rq *request, id int64) (string, error) {
	item, err := itemID(r)
	if err != nil {
		return "", err
	}
	r.Body = http.MaxBytesReader(nil, r.Body, store.MaxAttachment+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		// An empty or plain form: no file. Nothing is kept before the
		// viewer's right to the item is checked.
		_, err := s.DB.AddItemFile(r.Context(), rq.viewer, id, item, "", nil)
		return "", err
	}
	f, h, err := r.FormFile("file")
	if err != nil {
		_, err := s.DB.AddItemFile(r.Context(), rq.viewer, id, item, "", nil)
		return "", err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, store.MaxAttachment+1))
	if err != nil {
		return "", domain.Invalid("file", "文件读取失败")
	}
	if _, err := s.DB.AddItemFile(r.Context(), rq.viewer, id, item, h.Filename, data); err != nil {
		return "", err
	}
	return "附件已上传。", nil
}

// attachment serves a kept file to whoever sees its record, as a download
// that the browser may not sniff into something else.
func (s *Server) attachment(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, data, err := s.DB.AttachmentFile(r.Context(), rq.viewer, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", a.ContentType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = w.Write(data)
}

// rectPrint shows the printable 整改通知书 (notice) or 整改情况报告 (report).
func (s *Server) rectPrint(which string) handler {
	return func(w http.ResponseWriter, r *http.Request, rq *request) {
		id, err := pathID(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		x, err := s.DB.Rectification(r.Context(), rq.viewer, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		title := "整改通知书"
		if which == "report" {
			title = "整改情况报告"
		}
		s.render(w, r, http.StatusOK, "rect_print", &page{Title: title, Data: map[string]any{
			"Title": title, "Which": which, "R": s.viewRect(rq.viewer, x), "Back": fmt.Sprintf("/rectifications/%d", id),
			"Issued": domain.DateOf(x.CreatedAt, domain.Beijing).Chinese(), "Today": s.today().Chinese()}})
	}
}
