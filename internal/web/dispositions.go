package web

import (
	"cmp"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
)

// dispositionQuery reads the register's filter and the counts' grouping
// from the query: form, year, by=department, period=year.
// A year that is not one (“26”, “二〇二六”) is refused beside its field
// rather than matching nothing in silence (issue 17).
func dispositionQuery(r *http.Request) (store.DispositionFilter, store.CountGroup, error) {
	q := r.URL.Query()
	n, _ := strconv.Atoi(q.Get("form"))
	f := store.DispositionFilter{Form: oversight.Form(n), Year: strings.TrimSpace(q.Get("year"))}
	var err error
	if y, aerr := strconv.Atoi(f.Year); f.Year != "" && (aerr != nil || y < 2000 || y > 2100 || len(f.Year) != 4) {
		f.Year, err = "", domain.Invalid("year", "年度应写作四位数字，如 2026")
	}
	return f, store.CountGroup{Department: q.Get("by") == "department", Year: q.Get("period") == "year"}, err
}

// dispositionNarrow narrows f as the cockpit's figure links ask: ?court=
// (that court and those below it) and ?from=&to= (decision dates, both
// included); it returns the words that say so, "" when not narrowed.
func (s *Server) dispositionNarrow(r *http.Request, f *store.DispositionFilter) (string, error) {
	q := r.URL.Query()
	var words []string
	if code := strings.TrimSpace(q.Get("court")); code != "" {
		c, err := s.DB.CourtByCode(r.Context(), code)
		if err != nil {
			return "", err
		}
		f.CourtPath = c.Path
		words = append(words, c.Name+"及辖区法院")
	}
	for _, b := range []struct {
		key  string
		date *domain.Date
	}{{"from", &f.From}, {"to", &f.To}} {
		if v := strings.TrimSpace(q.Get(b.key)); v != "" {
			d, err := domain.ParseDate(v)
			if err != nil {
				return "", domain.Invalid(b.key, "日期应写作 2026-01-31")
			}
			*b.date = d
		}
	}
	if !f.From.IsZero() || !f.To.IsZero() {
		words = append(words, "决定日期 "+f.From.String()+" 至 "+f.To.String())
	}
	return strings.Join(words, "，"), nil
}

// dispositionList lists the dispositions under the four forms and counts
// them by court or department, month or year, form and measure.
func (s *Server) dispositionList(w http.ResponseWriter, r *http.Request, rq *request) {
	f, g, bad := dispositionQuery(r)
	status := http.StatusOK
	if bad != nil {
		status = http.StatusUnprocessableEntity
	}
	narrowed, err := s.dispositionNarrow(r, &f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list := newListing(r, store.DispositionSorts)
	f.Page = list.Req
	ds, info, err := s.DB.Dispositions(r.Context(), rq.viewer, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	counts, err := s.DB.DispositionCountsBy(r.Context(), rq.viewer, f, g)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "dispositions", &page{Title: "四种形态处置", Form: formState{Values: r.URL.Query(), Errors: fieldErrors(bad)}, Data: map[string]any{
		"Rows": ds, "List": list.done(info), "ShowCourt": manyCourts(ds, func(d *store.Disposition) string { return d.CourtPath }), "Counts": counts, "Filter": f, "Group": g, "Forms": oversight.Forms, "Export": list.Export("/dispositions/counts.xlsx"),
		"Strong": s.DB.Strong().Describe(), "Measures": s.DB.MeasureList(), "Narrowed": narrowed}})
}

// dispositionForm is the form as posted.
type dispositionForm struct {
	Court, Person, Form, Measure, Basis, Decider, DecidedOn, FollowUpOn string
	Errors                                                              map[string]string
	Measures                                                            []store.FormMeasures
}

func (s *Server) renderDispositionForm(w http.ResponseWriter, r *http.Request, status int, f dispositionForm) {
	f.Measures = s.DB.MeasureList()
	s.render(w, r, status, "disposition_new", &page{Title: "登记四种形态处置", Data: f})
}

// dispositionNew shows the form for a disposition not from a clue.
func (s *Server) dispositionNew(w http.ResponseWriter, r *http.Request, rq *request) {
	if !oversight.CanRegisterClue(rq.viewer, rq.viewer.CourtPath) {
		s.fail(w, r, domain.Errorf(domain.ErrForbidden, "只有纪检监察组、监察室可以登记处置。"))
		return
	}
	s.renderDispositionForm(w, r, http.StatusOK, dispositionForm{Court: rq.viewer.CourtCode, DecidedOn: s.today().String()})
}

// dispositionCreate enters a disposition; refused input comes back
// beside its fields.
func (s *Server) dispositionCreate(w http.ResponseWriter, r *http.Request, rq *request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	pf := r.PostFormValue
	f := dispositionForm{Court: strings.TrimSpace(pf("court")), Person: pf("person"), Form: pf("form"), Measure: pf("measure"), Basis: pf("basis"),
		Decider: pf("decider"), DecidedOn: pf("decided_on"), FollowUpOn: pf("follow_up_on")}
	fe := domain.FieldErrors{}
	n, _ := strconv.Atoi(f.Form)
	in := oversight.Disposition{Person: f.Person, Form: oversight.Form(n), Measure: f.Measure, Basis: f.Basis, Decider: f.Decider,
		DecidedOn: parseDate(fe, "decided_on", f.DecidedOn), FollowUpOn: parseDate(fe, "follow_up_on", f.FollowUpOn)}
	var id int64
	err := fe.Err()
	if err == nil {
		id, err = s.DB.RecordDisposition(r.Context(), rq.viewer, f.Court, in)
	}
	if err != nil {
		if f.Errors = fieldErrors(err); f.Errors != nil {
			s.renderDispositionForm(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "处置已登记。")
	http.Redirect(w, r, fmt.Sprintf("/dispositions/%d", id), http.StatusSeeOther)
}

// talkForm is a talk as posted.
type talkForm struct {
	Kind, HeldOn, Place, Participants, Content, Statement, Commitment, FollowUpOn string
	Errors                                                                        map[string]string
}

// dispositionShow shows a disposition and its talks, with the talk form
// under the first form.
func (s *Server) dispositionShow(w http.ResponseWriter, r *http.Request, rq *request) {
	s.renderDisposition(w, r, rq, http.StatusOK, talkForm{Kind: string(oversight.TalkReminder), HeldOn: s.today().String()})
}

func (s *Server) renderDisposition(w http.ResponseWriter, r *http.Request, rq *request, status int, tf talkForm) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.DB.Disposition(r.Context(), rq.viewer, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "disposition", &page{Title: "四种形态处置", Data: map[string]any{"D": d, "T": tf, "Kinds": oversight.TalkKinds}})
}

// dispositionTalk records a talk under a first-form disposition.
func (s *Server) dispositionTalk(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := postedID(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pf := r.PostFormValue
	tf := talkForm{Kind: pf("kind"), HeldOn: pf("held_on"), Place: pf("place"), Participants: pf("participants"), Content: pf("content"),
		Statement: pf("statement"), Commitment: pf("commitment"), FollowUpOn: pf("follow_up_on")}
	fe := domain.FieldErrors{}
	t := oversight.Talk{Kind: oversight.TalkKind(tf.Kind), HeldOn: parseDate(fe, "held_on", tf.HeldOn), Place: tf.Place, Participants: tf.Participants,
		Content: tf.Content, Statement: tf.Statement, Commitment: tf.Commitment, FollowUpOn: parseDate(fe, "follow_up_on", tf.FollowUpOn)}
	err = fe.Err()
	if err == nil {
		err = s.DB.AddTalk(r.Context(), rq.viewer, id, t)
	}
	if err != nil {
		if tf.Errors = fieldErrors(err); tf.Errors != nil {
			s.renderDisposition(w, r, rq, http.StatusUnprocessableEntity, tf)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "谈话记录已保存。")
	http.Redirect(w, r, fmt.Sprintf("/dispositions/%d", id), http.StatusSeeOther)
}

// dispositionCountsXLSX exports the counts the dispositions page shows,
// with the same filter, grouping and scope: for the watchdogs only.
func (s *Server) dispositionCountsXLSX(w http.ResponseWriter, r *http.Request, rq *request) {
	f, g, err := dispositionQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.dispositionNarrow(r, &f); err != nil {
		s.fail(w, r, err)
		return
	}
	counts, err := s.DB.DispositionCountsBy(r.Context(), rq.viewer, f, g)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	period, by := "月份", "法院"
	if g.Year {
		period = "年度"
	}
	if g.Department {
		by = "法院、部门"
	}
	scope := "全部年度"
	if f.Year != "" {
		scope = f.Year + "年"
	}
	if f.Form.Valid() {
		scope += "，" + f.Form.Label()
	}
	b := newWorkbook("四种形态统计")
	b.row("四种形态处置统计（按" + by + "、" + period + "、形态、措施；" + scope + "）")
	head := []any{"法院"}
	if g.Department {
		head = append(head, "部门")
	}
	b.row(append(head, period, "形态", "措施", "人次")...)
	for _, c := range counts {
		cells := []any{c.Court}
		if g.Department {
			cells = append(cells, cmp.Or(c.Department, "未分部门"))
		}
		b.row(append(cells, c.Period, c.Form.Label(), c.Measure, c.N)...)
	}
	s.sendWorkbook(w, r, b, "四种形态统计.xlsx")
}
