package web

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/report"
)

// runReportPeriod reads the period a higher court's view asks about
// (?period=); by default the latest month whose reports were due before
// today, where those not in are late.
func (s *Server) runReportPeriod(value string) (overview.Period, error) {
	if value == "" {
		return s.runReportDue().LatestDue(overview.PeriodMonth, s.today()), nil
	}
	return report.ParsePeriod(value)
}

// runReportPeriodOptions are the periods the higher court's view offers.
func (s *Server) runReportPeriodOptions(picked overview.Period) []option {
	var out []option
	for _, p := range report.Choices(s.today()) {
		out = append(out, option{Value: p.String(), Label: report.KindLabel(p.Kind) + " " + p.Label(), Selected: p.String() == picked.String()})
	}
	return out
}

// runReportStatus shows, for a period, which courts below have submitted
// their report and which are late, with the reminder button.
func (s *Server) runReportStatus(w http.ResponseWriter, r *http.Request, rq *request) {
	status := http.StatusOK
	p, bad := s.runReportPeriod(r.URL.Query().Get("period"))
	if bad != nil {
		status, p = http.StatusUnprocessableEntity, s.runReportDue().LatestDue(overview.PeriodMonth, s.today())
	}
	st, err := s.DB.RunReportStatus(r.Context(), rq.viewer, p, s.runReportDue())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "run_report_status", &page{Title: "下级法院报送情况", Form: formState{Values: r.URL.Query(), Errors: fieldErrors(bad)},
		Data: map[string]any{"S": st, "Options": s.runReportPeriodOptions(p), "Due": s.runReportDue().Text(), "Period": p.String(),
			"Kind": report.KindLabel(p.Kind), "CanRemind": report.Reads(rq.viewer)}})
}

// runReportRemind reminds the courts below whose report of the period
// posted is late; once a day per court.
func (s *Server) runReportRemind(w http.ResponseWriter, r *http.Request, rq *request) {
	if !report.Reads(rq.viewer) {
		s.fail(w, r, domain.Errorf(domain.ErrForbidden, "催报由上级法院的执行局、派驻纪检监察组和监察室发出。"))
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := report.ParsePeriod(r.PostFormValue("period"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := s.DB.RemindRunReports(r.Context(), rq.viewer, p, s.runReportDue())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if n == 0 {
		s.flash(w, r, "没有需要催报的法院：逾期法院今天都已催报过，或没有逾期法院。")
	} else {
		s.flash(w, r, fmt.Sprintf("已向%d个逾期未报送的法院发出催报通知。", n))
	}
	http.Redirect(w, r, "/reports/status?period="+url.QueryEscape(p.String()), http.StatusSeeOther)
}
