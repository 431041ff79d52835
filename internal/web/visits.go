package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/jobs"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/visit"
)

// canSeeVisits reports whether the viewer works with return visits: the
// command centre runs them, the bureau and the watchdogs oversee them.
// Officers and department heads never see them: what parties say about an
// officer is kept from that officer.

type batchRow struct {
	ID                                   int64
	Court, Month, Kind, DrawnAt, DrawnBy string
	Population, Excluded, Sample         int
	// OnTime is a daily draw made by its deadline (visit.DrawnOnTime),
	// which the cockpit's 按时抽取率 counts.
	OnTime, Daily bool
}

func newBatchRow(b *store.Batch) batchRow {
	kind := visit.BatchKindLabel(b.Kind)
	if b.Seq > 0 {
		kind += fmt.Sprintf("（第%d次）", b.Seq)
	}
	return batchRow{ID: b.ID, Court: b.CourtName, Month: b.Month, Kind: kind, DrawnAt: formatTime(b.DrawnAt), DrawnBy: b.DrawnBy,
		Population: b.PopulationCount, Excluded: b.ExcludedCount, Sample: b.SampleSize,
		Daily: b.Kind == visit.BatchDaily, OnTime: b.Kind == visit.BatchDaily && visit.DrawnOnTime(b.Month, b.DrawnAt)}
}

func (s *Server) visitBatches(w http.ResponseWriter, r *http.Request, rq *request) {
	if !visit.CanSee(rq.viewer) {
		s.fail(w, r, domain.ErrForbidden)
		return
	}
	l := newListing(r, store.BatchSorts)
	month := r.URL.Query().Get("month")
	if _, _, err := domain.ParseMonth(month); err != nil {
		month = ""
	}
	f := store.BatchFilter{Month: month, Page: l.Req}
	narrowed, err := s.batchNarrow(r, &f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	bs, info, err := s.DB.BatchList(r.Context(), rq.viewer, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Narrowed as 按时抽取率 is, the months owed and never drawn show too:
	// the figure counts them, and no draw stands for them.
	code := strings.TrimSpace(r.URL.Query().Get("court"))
	var undrawn []store.OwedDraw
	if f.Kind == visit.BatchDaily && code != "" && f.From != "" && f.To != "" {
		if undrawn, err = s.DB.UndrawnMonths(r.Context(), rq.viewer, code, f.From, f.To); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	rows := make([]batchRow, len(bs))
	for i, b := range bs {
		rows[i] = newBatchRow(b)
	}
	queue, err := s.focusQueue(r, rq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "visit_batches", &page{Title: "当事人回访", Data: struct {
		Batches     []batchRow
		CanDraw     bool
		Month       string
		FilterMonth string
		ShowCourt   bool
		List        *listing
		Queue       []focusQueueRow
		Narrowed    string
		Filter      store.BatchFilter
		CourtCode   string
		Undrawn     []store.OwedDraw
	}{rows, visit.Runs(rq.viewer), jobs.PreviousMonth(s.today()), month, manyCourts(bs, func(b *store.Batch) string { return b.CourtName }), l.done(info), queue,
		narrowed, f, code, undrawn}})
}

// batchNarrow narrows f as the cockpit's 按时抽取率 asks: ?court= (that
// court and those below it), ?from= and ?to= (the months of the period)
// and ?kind=daily (the monthly draws the figure counts). It returns the
// words that say so, "" when not narrowed.
func (s *Server) batchNarrow(r *http.Request, f *store.BatchFilter) (string, error) {
	q := r.URL.Query()
	var narrowed []string
	if code := strings.TrimSpace(q.Get("court")); code != "" {
		c, err := s.DB.CourtByCode(r.Context(), code)
		if err != nil {
			return "", err
		}
		f.CourtPath = c.Path
		narrowed = append(narrowed, c.Name+"及辖区法院")
	}
	for _, m := range []struct {
		key, label string
		to         *string
	}{{"from", "起始月份", &f.From}, {"to", "截止月份", &f.To}} {
		v := strings.TrimSpace(q.Get(m.key))
		if v == "" {
			continue
		}
		if _, _, err := domain.ParseMonth(v); err != nil {
			return "", domain.Errorf(domain.ErrInvalid, "%s“%s”不是有效的月份，应为如 2026-04 的格式。", m.label, v)
		}
		*m.to = v
	}
	switch {
	case f.From != "" && f.To != "" && f.To < f.From:
		return "", domain.Errorf(domain.ErrInvalid, "截止月份早于起始月份。")
	case f.From != "" && f.To != "":
		narrowed = append(narrowed, "执结月份"+f.From+"至"+f.To)
	case f.From != "":
		narrowed = append(narrowed, "执结月份"+f.From+"起")
	case f.To != "":
		narrowed = append(narrowed, "执结月份至"+f.To)
	}
	switch k := q.Get("kind"); k {
	case "":
	case visit.BatchDaily, visit.BatchSupplement:
		f.Kind = k
		narrowed = append(narrowed, visit.BatchKindLabel(k))
	default:
		return "", domain.Errorf(domain.ErrInvalid, "抽取类型“%s”无效。", k)
	}
	return strings.Join(narrowed, "，"), nil
}

// visitDraw lets the command centre draw its court's batch for a month
// now, instead of waiting for the daily job; a month drawn already gives
// the batch drawn then. With supplement set it draws a supplement over
// the month's cases that arrived after its draws.
func (s *Server) visitDraw(w http.ResponseWriter, r *http.Request, rq *request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	month := r.PostFormValue("month")
	if r.PostFormValue("supplement") != "" {
		b, err := s.DB.DrawSupplement(r.Context(), rq.viewer, rq.user.CourtCode, month, s.DrawRule)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.flash(w, r, fmt.Sprintf("已补充抽取 %s：迟到的 %d 件中抽取 %d 件。", b.Month, b.PopulationCount, b.SampleSize))
		http.Redirect(w, r, fmt.Sprintf("/visit-batches/%d", b.ID), http.StatusSeeOther)
		return
	}
	b, created, err := s.DB.DrawBatch(r.Context(), rq.viewer, rq.user.CourtCode, month, s.DrawRule)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if created {
		s.flash(w, r, fmt.Sprintf("已抽取 %s：%d 件中抽取 %d 件。", b.Month, b.PopulationCount, b.SampleSize))
	} else {
		s.flash(w, r, b.Month+" 已于 "+formatTime(b.DrawnAt)+" 抽取，每月只抽取一次。")
	}
	http.Redirect(w, r, fmt.Sprintf("/visit-batches/%d", b.ID), http.StatusSeeOther)
}

func (s *Server) visitBatch(w http.ResponseWriter, r *http.Request, rq *request) {
	if !visit.CanSee(rq.viewer) {
		s.fail(w, r, domain.ErrForbidden)
		return
	}
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, cases, err := s.DB.BatchByID(r.Context(), rq.viewer, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, verr := s.DB.VerifyBatch(r.Context(), rq.viewer, id)
	month, err := s.DB.MonthBatches(r.Context(), rq.viewer, b)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	siblings := make([]batchRow, len(month))
	for i, m := range month {
		siblings[i] = newBatchRow(m)
	}
	type caseRow struct {
		Number, Excluded string
	}
	var selected, excluded []caseRow
	for _, bc := range cases {
		switch {
		case bc.Selected:
			selected = append(selected, caseRow{Number: bc.Number})
		case bc.Excluded != "":
			excluded = append(excluded, caseRow{bc.Number, bc.Excluded})
		}
	}
	d := struct {
		ID                                                        int64
		Court, Month, DrawnAt, DrawnBy, Seed, Commitment, PopHash string
		Kind, CaseTypes, ClosingModes                             string
		Rate, Rounding, Method, RuleText, VerifyError             string
		Population, Excluded, Sample                              int
		Verified, CanSupplement, Enlarged                         bool
		Selected, ExcludedCases                                   []caseRow
		MonthBatches                                              []batchRow
	}{ID: b.ID, Court: b.CourtName, Month: b.Month, DrawnAt: formatTime(b.DrawnAt), DrawnBy: b.DrawnBy, Seed: b.Seed, Commitment: b.Commitment,
		Kind: newBatchRow(b).Kind, CaseTypes: listOrAll(b.Rule.CaseTypes, "全部类型（本规则施行前的批次）"),
		ClosingModes: listOrAll(b.Rule.ClosingModes, "全部结案方式（本规则施行前的批次）"), MonthBatches: siblings,
		CanSupplement: visit.Runs(rq.viewer) && rq.viewer.CourtPath == b.CourtPath,
		PopHash:       b.PopulationHash, Rate: strconv.FormatFloat(b.Rule.Rate*100, 'f', -1, 64) + "%", Rounding: map[string]string{"ceil": "向上取整", "round": "四舍五入", "floor": "向下取整"}[b.Rule.Rounding],
		Method: visit.DrawMethod, RuleText: visit.DrawRuleText, Population: b.PopulationCount, Excluded: b.ExcludedCount, Sample: b.SampleSize,
		Verified: verr == nil, Selected: selected, ExcludedCases: excluded}
	if verr != nil {
		d.VerifyError = verr.Error()
	}
	// The demo draws one month above the document's rate to show every
	// state of a visit; its batch says so.
	d.Enlarged = s.Demo && b.Rule.Rate > visit.DefaultDrawRule().Rate
	s.render(w, r, http.StatusOK, "visit_batch", &page{Title: "回访抽取批次", Data: d})
}

// listOrAll shows a batch's list of types or modes, or what a batch drawn
// before they were recorded took.
func listOrAll(xs []string, all string) string {
	if len(xs) == 0 {
		return all
	}
	return strings.Join(xs, "、")
}

// focusQueueRow is a court's queue of focused visits as the batches page
// shows it.
type focusQueueRow struct {
	Court   string
	Waiting int
	Next    []focusQueuedRow
}

type focusQueuedRow struct{ CaseNumber, Reasons string }

// focusQueueNext is how many of a court's next cases the page names.
const focusQueueNext = 5

// focusQueue reads the courts' queues of focused visits for the page.
func (s *Server) focusQueue(r *http.Request, rq *request) ([]focusQueueRow, error) {
	qs, err := s.DB.FocusQueue(r.Context(), rq.viewer, focusQueueNext)
	if err != nil {
		return nil, err
	}
	out := make([]focusQueueRow, len(qs))
	for i, q := range qs {
		out[i] = focusQueueRow{Court: q.Court, Waiting: q.Waiting}
		for _, c := range q.Next {
			var rs []string
			for _, k := range c.Reasons {
				rs = append(rs, visit.FocusReasons[k])
			}
			out[i].Next = append(out[i].Next, focusQueuedRow{CaseNumber: c.CaseNumber, Reasons: strings.Join(rs, "；")})
		}
	}
	return out, nil
}
