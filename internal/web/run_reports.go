package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/report"
	"github.com/zhilian/zhilian/internal/store"
)

// The periodic report 四项机制运行情况报告 (issue 18): a court's list, the
// form that drafts one, the report with its narrative and its actions.
// Who may do what is report.Check's; the store enforces it.

// runReportDue are the due dates the pages count with.
func (s *Server) runReportDue() report.DueRules {
	if s.RunReportDue == (report.DueRules{}) {
		return report.DefaultDueRules()
	}
	return s.RunReportDue
}

// runReportTargets are the targets a report's figures are read against.
func (s *Server) runReportTargets() overview.Targets {
	if s.RunReportTargets == nil {
		return overview.DefaultTargets()
	}
	return s.RunReportTargets
}

// runReportOversees reports whether v's court has courts below, whose
// reports v follows.
func (s *Server) runReportOversees(r *http.Request, v domain.Viewer) (bool, error) {
	if !report.Reads(v) {
		return false, nil
	}
	cs, err := s.DB.CourtsUnder(r.Context(), v.CourtPath)
	return len(cs) > 1, err
}

// runReportList lists the reports v sees: his court's and those the
// courts below submitted.
func (s *Server) runReportList(w http.ResponseWriter, r *http.Request, rq *request) {
	q := r.URL.Query()
	f := store.RunReportFilter{Kind: overview.PeriodKind(q.Get("kind")), Own: q.Get("scope") == "own", Below: q.Get("scope") == "below"}
	if f.Kind != "" && report.KindLabel(f.Kind) == string(f.Kind) {
		f.Kind = ""
	}
	list := newListing(r, store.RunReportSorts)
	f.Page = list.Req
	rs, info, err := s.DB.RunReportPage(r.Context(), rq.viewer, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	above, err := s.runReportOversees(r, rq.viewer)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "run_reports", &page{Title: "四项机制运行情况报告", Data: map[string]any{
		"Rows": rs, "List": list.done(info), "CanDraft": report.CanDraft(rq.viewer), "Oversees": above, "Due": s.runReportDue().Text(),
		"Kinds": runReportKinds(), "Own": rq.viewer.CourtID}})
}

// runReportKinds are the kinds of report as filter options.
func runReportKinds() []option {
	var out []option
	for _, k := range report.Kinds {
		out = append(out, option{Value: string(k), Label: report.KindLabel(k)})
	}
	return out
}

// runReportNew is the form that drafts a report of v's court: the period
// picked (?period=2026-03 picks one).
func (s *Server) runReportNew(w http.ResponseWriter, r *http.Request, rq *request) {
	if !report.CanDraft(rq.viewer) {
		s.fail(w, r, domain.Errorf(domain.ErrForbidden, "运行情况报告由本院执行局、派驻纪检监察组起草。"))
		return
	}
	today := s.today()
	picked := r.URL.Query().Get("period")
	if picked == "" {
		picked = report.LastEnded(overview.PeriodMonth, today).String()
	}
	due := s.runReportDue()
	var opts []map[string]any
	for _, p := range report.Choices(today) {
		opts = append(opts, map[string]any{"Value": p.String(), "Label": report.KindLabel(p.Kind) + " " + p.Label(), "Due": due.Due(p).Chinese(),
			"Selected": p.String() == picked, "Ended": report.Ended(p, today)})
	}
	s.render(w, r, http.StatusOK, "run_report_new", &page{Title: "起草运行情况报告", Data: map[string]any{"Options": opts, "Due": due.Text()}})
}

// runReportCreate drafts the report of the period posted, or opens the
// one the court has for it.
func (s *Server) runReportCreate(w http.ResponseWriter, r *http.Request, rq *request) {
	if !report.CanDraft(rq.viewer) {
		s.fail(w, r, domain.Errorf(domain.ErrForbidden, "运行情况报告由本院执行局、派驻纪检监察组起草。"))
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := report.ParsePeriod(r.PostFormValue("period"))
	var id int64
	created := false
	if err == nil {
		id, created, err = s.DB.CreateRunReport(r.Context(), rq.viewer, p)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if created {
		s.flash(w, r, "报告草稿已生成，数据随业务记录实时更新，报送时固定。")
	} else {
		s.flash(w, r, "本院该期间的报告已经存在，已为您打开。")
	}
	http.Redirect(w, r, fmt.Sprintf("/reports/%d", id), http.StatusSeeOther)
}

// runReportFor reads the report in the path and its content for v.
func (s *Server) runReportFor(r *http.Request, rq *request) (*store.RunReport, *report.Snapshot, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, nil, err
	}
	rep, err := s.DB.RunReport(r.Context(), rq.viewer, id)
	if err != nil {
		return nil, nil, err
	}
	content, err := s.DB.RunReportContent(r.Context(), rq.viewer, rep, s.runReportTargets())
	if err != nil {
		return nil, nil, err
	}
	return rep, content, nil
}

// runReportChart is what the report's charts draw: the core indicators
// against their targets, and the typical problems by kind.
func runReportChart(c *report.Snapshot) template.JS {
	type ind struct {
		Name   string   `json:"name"`
		Value  *float64 `json:"value"`
		Target *float64 `json:"target"`
	}
	d := struct {
		Indicators []ind    `json:"indicators"`
		Kinds      []string `json:"kinds"`
		Problems   []int    `json:"problems"`
	}{Indicators: []ind{}}
	if sec := c.Section(overview.SectionIndicators); sec != nil {
		for _, f := range sec.Figures {
			x := ind{Name: f.Name}
			if f.Den > 0 {
				v := float64(f.Num) * 100 / float64(f.Den)
				x.Value = &v
			}
			if f.Target != "" {
				tv := f.TargetValue
				x.Target = &tv
			}
			d.Indicators = append(d.Indicators, x)
		}
	}
	for _, g := range c.Problems {
		d.Kinds, d.Problems = append(d.Kinds, g.Name), append(d.Problems, g.Total)
	}
	b, _ := json.Marshal(d)
	return template.JS(b)
}

// runReportNumerals number the narrative's headings.
var runReportNumerals = []string{"一", "二", "三", "四"}

// runReportShow shows a report: its state and signature, its content,
// the narrative form while v may edit it, and the buttons v may press.
func (s *Server) runReportShow(w http.ResponseWriter, r *http.Request, rq *request) {
	rep, content, err := s.runReportFor(r, rq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	acts := report.Actions(rq.viewer, rep.Subject())
	may := map[string]bool{}
	for _, a := range acts {
		may[string(a)] = true
	}
	due := s.runReportDue()
	s.render(w, r, http.StatusOK, "run_report", &page{Title: rep.Title(), Data: map[string]any{
		"R": rep, "C": content, "May": may, "Sections": report.Sections, "Due": due.Due(rep.Period), "Kind": report.KindLabel(rep.Period.Kind),
		"Late": rep.State.Open() && due.Late(rep.Period, s.today()), "Ended": report.Ended(rep.Period, s.today()), "Chart": runReportChart(content),
		"Narrative": rep.Narrative, "Verified": rep.Verified(), "Numerals": runReportNumerals}})
}

// runReportSave saves the narrative posted; a fault comes back beside its
// section.
func (s *Server) runReportSave(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := postedID(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n := report.Narrative{}
	for _, sec := range report.Sections {
		n[sec.Key] = r.PostFormValue(report.Field(sec.Key))
	}
	if err := s.DB.SaveRunReport(r.Context(), rq.viewer, id, n); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "报告正文已保存。")
	http.Redirect(w, r, fmt.Sprintf("/reports/%d", id), http.StatusSeeOther)
}

// runReportAct submits a report, or returns one with the reason posted.
func (s *Server) runReportAct(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := postedID(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, ok := report.ParseAction(r.PathValue("act"))
	if !ok {
		s.fail(w, r, domain.ErrNotFound)
		return
	}
	var msg string
	switch a {
	case report.Submit:
		err, msg = s.DB.SubmitRunReport(r.Context(), rq.viewer, id, s.runReportTargets()), "报告已报送上一级法院，内容已固定并电子签名。"
	case report.Return:
		err, msg = s.DB.ReturnRunReport(r.Context(), rq.viewer, id, r.PostFormValue("reason")), "报告已退回，已通知报送法院修改后重新报送。"
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, msg)
	http.Redirect(w, r, fmt.Sprintf("/reports/%d", id), http.StatusSeeOther)
}

// runReportTodo is a report the court owes as the home page lists it.
func runReportTodo(t store.RunReportTodo) todo {
	owed := "起草并报送" + report.KindLabel(t.Period.Kind)
	href := "/reports/new?period=" + t.Period.String()
	switch t.State {
	case report.StateDraft:
		owed = "完成并报送" + report.KindLabel(t.Period.Kind)
	case report.StateReturned:
		owed = "修改后重新报送" + report.KindLabel(t.Period.Kind) + "（已被退回）"
	}
	if t.ReportID != 0 {
		href = fmt.Sprintf("/reports/%d", t.ReportID)
	}
	if t.Reminded {
		owed += "（上级法院已催报）"
	}
	return todo{Kind: todoReports, Owed: owed, About: t.Period.Label() + "四项机制运行情况报告", Href: href, Due: t.Due, Overdue: t.Overdue}
}
