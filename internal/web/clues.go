package web

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
)

// clueList lists the clues the watchdog may see, by state.
func (s *Server) clueList(w http.ResponseWriter, r *http.Request, rq *request) {
	list := newListing(r, store.ClueSorts)
	q := r.URL.Query()
	f := store.ClueFilter{State: oversight.ClueState(q.Get("state")), Page: list.Req}
	// The cockpit's figure drills down with ?court= and ?period=.
	d, err := s.readDrill(r, "登记")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f.CourtPath, f.Registered = d.CourtPath, d.Period
	narrowed := d.Narrowed
	ls, info, err := s.DB.Clues(r.Context(), rq.viewer, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "clues", &page{Title: "问题线索", Data: map[string]any{
		"Narrowed": strings.Join(narrowed, "，"),
		"Rows":     ls, "List": list.done(info), "Filter": f, "States": oversight.ClueStates,
		"ShowCourt": manyCourts(ls, func(l *store.Clue) string { return l.CourtPath })}})
}

// clueForm is the registration form as posted.
type clueForm struct {
	Court, Source, SourceID, SourceRef, Persons, Summary, DueOn, Verifier string
	Errors                                                                map[string]string
	Sources                                                               []oversight.Source
}

func (s *Server) renderClueForm(w http.ResponseWriter, r *http.Request, status int, f clueForm) {
	f.Sources = oversight.Sources
	s.render(w, r, status, "clue_new", &page{Title: "登记问题线索", Data: f})
}

// clueNew shows the registration form, its source filled in from the
// query (?source=complaint&id=7).
func (s *Server) clueNew(w http.ResponseWriter, r *http.Request, rq *request) {
	if !oversight.CanRegisterClue(rq.viewer, rq.viewer.CourtPath) {
		s.fail(w, r, domain.Errorf(domain.ErrForbidden, "只有纪检监察组、监察室可以登记问题线索。"))
		return
	}
	q := r.URL.Query()
	s.renderClueForm(w, r, http.StatusOK, clueForm{Court: rq.viewer.CourtCode, Source: q.Get("source"), SourceID: q.Get("id"),
		DueOn: s.today().AddDays(30).String()})
}

// parseDate reads an optional date field into fe.
func parseDate(fe domain.FieldErrors, field, v string) domain.Date {
	if v = strings.TrimSpace(v); v == "" {
		return domain.Date{}
	}
	d, err := domain.ParseDate(v)
	if err != nil {
		fe.Add(field, "日期格式应为 2026-01-31")
	}
	return d
}

// clueCreate registers a clue; refused input comes back beside its fields.
func (s *Server) clueCreate(w http.ResponseWriter, r *http.Request, rq *request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	pf := r.PostFormValue
	f := clueForm{Court: strings.TrimSpace(pf("court")), Source: pf("source"), SourceID: strings.TrimSpace(pf("source_id")), SourceRef: pf("source_ref"),
		Persons: pf("persons"), Summary: pf("summary"), DueOn: pf("due_on"), Verifier: pf("verifier")}
	fe := domain.FieldErrors{}
	in := oversight.Clue{Source: oversight.Source(f.Source), SourceRef: f.SourceRef, Persons: splitList(f.Persons), Summary: f.Summary,
		DueOn: parseDate(fe, "due_on", f.DueOn)}
	if f.SourceID != "" && in.Source != oversight.SourceOther {
		n, err := strconv.ParseInt(f.SourceID, 10, 64)
		if err != nil || n <= 0 {
			fe.Add("source_id", "编号应为正整数")
		}
		in.SourceID = n
	}
	var id int64
	err := fe.Err()
	if err == nil {
		id, err = s.DB.RegisterClue(r.Context(), rq.viewer, f.Court, in, f.Verifier)
	}
	if err != nil {
		if f.Errors = fieldErrors(err); f.Errors != nil {
			s.renderClueForm(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "问题线索已登记。")
	http.Redirect(w, r, fmt.Sprintf("/clues/%d", id), http.StatusSeeOther)
}

// clueInput is what was posted to a clue's page and refused.
type clueInput struct {
	Errors                                                                  map[string]string
	Verifier, StepOn, StepNote, Conclusion, Form, Measure, Basis, DecidedOn string
	FollowUpOn                                                              string
}

// clueShow shows a clue, its steps and conclusion, and the forms its
// viewer may use.
func (s *Server) clueShow(w http.ResponseWriter, r *http.Request, rq *request) {
	s.renderClue(w, r, rq, http.StatusOK, clueInput{})
}

func (s *Server) renderClue(w http.ResponseWriter, r *http.Request, rq *request, status int, in clueInput) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l, err := s.DB.Clue(r.Context(), rq.viewer, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ds, _, err := s.DB.Dispositions(r.Context(), rq.viewer, store.DispositionFilter{Clue: id, Page: store.PageReq{All: true}})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	acts := l.Actions(rq.viewer)
	if in.StepOn == "" {
		in.StepOn = s.today().String()
	}
	if in.DecidedOn == "" {
		in.DecidedOn = s.today().String()
	}
	s.render(w, r, status, "clue", &page{Title: "问题线索", Data: map[string]any{
		"L": l, "In": in, "Dispositions": ds,
		"CanAssign": slices.Contains(acts, oversight.ActAssign), "CanStep": slices.Contains(acts, oversight.ActStep),
		"CanConclude": slices.Contains(acts, oversight.ActConclude), "Conclusions": oversight.Conclusions, "Measures": s.DB.MeasureList()}})
}

// clueAct handles the posts to a clue's page: assign, step, conclude.
func (s *Server) clueAct(w http.ResponseWriter, r *http.Request, rq *request) {
	var files []store.FileIn
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		files, err = stepFiles(w, r)
	} else {
		err = parseForm(w, r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pf := r.PostFormValue
	in := clueInput{Verifier: pf("verifier"), StepOn: pf("step_on"), StepNote: pf("step_note"), Conclusion: pf("conclusion"), Form: pf("form"),
		Measure: pf("measure"), Basis: pf("basis"), DecidedOn: pf("decided_on"), FollowUpOn: pf("follow_up_on")}
	fe := domain.FieldErrors{}
	var msg string
	switch r.PathValue("act") {
	case "assign":
		err, msg = s.DB.AssignClue(r.Context(), rq.viewer, id, in.Verifier), "已指定核查人。"
	case "steps":
		on := parseDate(fe, "step_on", in.StepOn)
		if err = fe.Err(); err == nil {
			err, msg = s.DB.AddClueStep(r.Context(), rq.viewer, id, on, in.StepNote, files...), "核查情况已记录。"
		}
	case "conclude":
		vd := oversight.Verdict{Conclusion: oversight.Conclusion(in.Conclusion), Measure: in.Measure, Basis: in.Basis,
			DecidedOn: parseDate(fe, "decided_on", in.DecidedOn), FollowUpOn: parseDate(fe, "follow_up_on", in.FollowUpOn)}
		if in.Form != "" {
			n, _ := strconv.Atoi(in.Form)
			vd.Form = oversight.Form(n)
		}
		if err = fe.Err(); err == nil {
			err, msg = s.DB.ConcludeClue(r.Context(), rq.viewer, id, vd), "线索已办结。"
		}
	default:
		err = domain.ErrNotFound
	}
	if err != nil {
		if in.Errors = fieldErrors(err); in.Errors != nil {
			s.renderClue(w, r, rq, http.StatusUnprocessableEntity, in)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, msg)
	http.Redirect(w, r, fmt.Sprintf("/clues/%d", id), http.StatusSeeOther)
}

// stepFiles reads a verification step posted with its evidence: the
// form's fields, and the files chosen (none is fine). Nothing is kept
// here: the store checks the viewer's right to the clue first.
func stepFiles(w http.ResponseWriter, r *http.Request) ([]store.FileIn, error) {
	r.Body = http.MaxBytesReader(w, r.Body, store.MaxStepFiles*store.MaxAttachment+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		return nil, domain.Errorf(domain.ErrInvalid, "提交的内容无法解析，或文件过大。")
	}
	var out []store.FileIn
	for _, h := range r.MultipartForm.File["file"] {
		if h.Size == 0 && h.Filename == "" {
			continue // the browser's empty file input
		}
		f, err := h.Open()
		if err != nil {
			return nil, domain.Invalid("file", "文件读取失败")
		}
		data, err := io.ReadAll(io.LimitReader(f, store.MaxAttachment+1))
		f.Close()
		if err != nil {
			return nil, domain.Invalid("file", "文件读取失败")
		}
		out = append(out, store.FileIn{Name: h.Filename, Data: data})
	}
	return out, nil
}
