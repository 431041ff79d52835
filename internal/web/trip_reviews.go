package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/trip"
	"github.com/zhilian/zhilian/internal/visit"
)

// tripReviews lists the reviews for the head and the watchdogs. The
// cockpit's figures drill down here with ?court=CODE (that court and
// those below), ?reason= (one or more) and ?period= (trips departed then).
func (s *Server) tripReviews(w http.ResponseWriter, r *http.Request, rq *request) {
	q := r.URL.Query()
	var f store.TripReviewFilter
	d, err := s.readDrill(r, "出发的外出执行")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f.CourtPath, f.Departed = d.CourtPath, d.Period
	narrowed := d.Narrowed
	for _, reason := range q["reason"] {
		label, ok := trip.ReviewReasons[reason]
		if !ok {
			s.fail(w, r, domain.Invalid("reason", "没有这种审查事由。"))
			return
		}
		f.Reasons = append(f.Reasons, reason)
		narrowed = append(narrowed, label)
	}
	rs, err := s.DB.TripReviewsIn(r.Context(), rq.viewer, q.Get("open") == "1", 300, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "trip_reviews", &page{Title: "外出报告审查", Data: struct {
		Reviews  []reviewView
		Open     bool
		Narrowed string
	}{reviewViews(rs, rq.viewer, s.DB.Today()), q.Get("open") == "1", strings.Join(narrowed, "，")}})
}

// tripReviewShow sends to the trip or case the review is about.
func (s *Server) tripReviewShow(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rv, err := s.DB.TripReviewByID(r.Context(), rq.viewer, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if rv.TripID != 0 {
		http.Redirect(w, r, fmt.Sprintf("/trips/%d#reviews", rv.TripID), http.StatusSeeOther)
	} else {
		http.Redirect(w, r, fmt.Sprintf("/annex2/%d#reviews", rv.CaseID), http.StatusSeeOther)
	}
}

// tripReviewAct records the leader's handling of a review (note, or the
// talk reminder on record) or the watchdogs' conclusion.
func (s *Server) tripReviewAct(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := postedID(w, r)
	if err == nil {
		switch r.PathValue("act") {
		case "conclude":
			err = s.DB.ConcludeReview(r.Context(), rq.viewer, id, r.PostFormValue("text"))
		case "talk":
			talk := trip.Talk{Place: r.PostFormValue("talk_place"), Content: r.PostFormValue("talk_content"), Statement: r.PostFormValue("talk_statement")}
			if d, derr := domain.ParseDate(strings.TrimSpace(r.PostFormValue("talk_on"))); derr == nil {
				talk.On = d
			}
			err = s.DB.RecordTalk(r.Context(), rq.viewer, id, talk)
		case "note":
			err = s.DB.NoteReview(r.Context(), rq.viewer, id, r.PostFormValue("text"))
		default:
			err = domain.ErrNotFound
		}
	}
	if err != nil {
		if fe := fieldErrors(err); fe != nil {
			err = domain.Invalid("talk", joinErrors(fe))
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "已登记。")
	back := r.PostFormValue("back")
	if !strings.HasPrefix(back, "/trips/") && !strings.HasPrefix(back, "/annex2/") {
		back = "/trip-reviews"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// tripMapping shows which complaint items of 附件3 contradict which 无 of
// 附件1: the rule the cross-check applies.
func (s *Server) tripMapping(w http.ResponseWriter, r *http.Request, rq *request) {
	if !trip.CanSee(rq.viewer) {
		s.fail(w, r, domain.ErrForbidden)
		return
	}
	type row struct {
		Complaint string
		Items     []string
	}
	var rows []row
	for _, c := range trip.Contradictions {
		it, cat, ok := visit.ItemByCode(c.Complaint)
		if !ok {
			continue
		}
		rw := row{Complaint: cat.Name + "：" + it.Text}
		for _, code := range c.Items {
			rw.Items = append(rw.Items, trip.ItemText(code))
		}
		rows = append(rows, rw)
	}
	s.render(w, r, http.StatusOK, "trip_mapping", &page{Title: "不如实报告对照表", Data: rows})
}

// period reads ?year=&month= (the whole year if no month) as Beijing
// time. A year or month that is not one is refused beside its field
// (issue 17): the period is then this year's, and err says why.
func (s *Server) period(r *http.Request) (from, to time.Time, label string, year, month int, err error) {
	today := s.DB.Today()
	year, month = today.Year(), 0
	q := r.URL.Query()
	fe := domain.FieldErrors{}
	if ys := strings.TrimSpace(q.Get("year")); ys != "" {
		if y, aerr := strconv.Atoi(ys); aerr == nil && len(ys) == 4 && y >= 2000 && y <= 2100 {
			year = y
		} else {
			fe.Add("year", "年度应写作四位数字，如 2026")
		}
	}
	if ms := strings.TrimSpace(q.Get("month")); ms != "" {
		if m, aerr := strconv.Atoi(ms); aerr == nil && m >= 1 && m <= 12 {
			month = m
		} else {
			fe.Add("month", "月份应为 1 至 12 月，或选“全年”")
		}
	}
	if err = fe.Err(); err != nil {
		year, month = today.Year(), 0
	}
	if month == 0 {
		from = time.Date(year, 1, 1, 0, 0, 0, 0, domain.Beijing)
		return from, from.AddDate(1, 0, 0), fmt.Sprintf("%d年", year), year, month, err
	}
	from = time.Date(year, time.Month(month), 1, 0, 0, 0, 0, domain.Beijing)
	return from, from.AddDate(0, 1, 0), fmt.Sprintf("%d年%d月", year, month), year, month, err
}

// tripAccountability is the department heads' 一岗双责 record: trips,
// requirements before departure, reports on time, late and missing,
// reports found not truthful and talk reminders held.
func (s *Server) tripAccountability(w http.ResponseWriter, r *http.Request, rq *request) {
	from, to, label, year, month, bad := s.period(r)
	rows, err := s.DB.TripAccountability(r.Context(), rq.viewer, from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name, status := "trip_accountability", http.StatusOK
	if bad != nil {
		status = http.StatusUnprocessableEntity
	} else if r.URL.Query().Get("print") == "1" {
		name = "trip_duty_print"
	}
	court := ""
	if rq.user != nil {
		court = rq.user.CourtName
	}
	s.render(w, r, status, name, &page{Title: "一岗双责统计", Form: queryState(r, bad), Data: struct {
		Rows        []store.AccountabilityRow
		Label       string
		Year, Month int
		Court       string
		Query       string
	}{rows, label, year, month, court, r.URL.RawQuery}})
}

func (s *Server) tripAccountabilityXLSX(w http.ResponseWriter, r *http.Request, rq *request) {
	from, to, label, _, _, bad := s.period(r)
	if bad != nil {
		s.fail(w, r, bad)
		return
	}
	rows, err := s.DB.TripAccountability(r.Context(), rq.viewer, from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b := newWorkbook("一岗双责")
	b.row("外出执行情况报告 · 部门负责人一岗双责统计（" + label + "）")
	b.row("法院", "部门", "部门负责人", "外出执行（辖区外）", "外出人次", "出发前提出纪律要求", "按时报告", "逾期报告", "未报告", "不如实报告", "谈话提醒", "未成行")
	for _, row := range rows {
		b.row(row.CourtName, row.Department, row.Heads, row.Trips, row.Travellers, row.RequiredBefore, row.OnTime, row.Late, row.Missing, row.Contradicted, row.TalksHeld,
			row.NotTaken)
	}
	s.sendWorkbook(w, r, b, "一岗双责统计-"+label+".xlsx")
}
