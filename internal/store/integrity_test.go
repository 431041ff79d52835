package store_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/integrity"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/trip"
)

// integrityFixture is the trip fixture (鲁0102 on a clock the test moves,
// its officer off and his case) with the court's command centre and
// 监察室 and a watchdog of 鲁01 above.
type integrityFixture struct {
	*tripFixture
	cc, sup, above domain.Viewer
}

func newIntegrityFixture(t *testing.T) *integrityFixture {
	t.Helper()
	f := &integrityFixture{tripFixture: newTripFixture(t)}
	f.cc = domain.ViewerFor(testdb.AddUser(t, f.db, "cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter), "")
	f.sup = domain.ViewerFor(testdb.AddUser(t, f.db, "sup", "鲁0102", "监察室", domain.RoleSupervisionOffice), "")
	f.above = domain.ViewerFor(testdb.AddUser(t, f.db, "above", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	return f
}

// addCase adds a case of officer o filed on filed.
func (f *integrityFixture) addCase(t *testing.T, no, filed string, o domain.Viewer) int64 {
	t.Helper()
	k := testCase(t, no, filed)
	k.Officer = o.Name
	upsert(t, f.db, domain.SystemViewer("t"), k)
	return caseNoID(t, f.db, no)
}

// evaluate runs the rules at 鲁0102 as its 纪检监察组 and returns how many
// warnings it proposed.
func (f *integrityFixture) evaluate(t *testing.T) int {
	t.Helper()
	res, err := f.db.EvaluateIntegrity(ctx, f.group, "鲁0102")
	if err != nil {
		t.Fatal(err)
	}
	return res.Proposed
}

// warnings are the warnings about o by rule, as the court's 监察室 sees them.
func (f *integrityFixture) warnings(t *testing.T, o domain.Viewer, rule integrity.RuleID) []*store.IntegrityWarning {
	t.Helper()
	ws, err := f.db.IntegrityWarnings(ctx, f.sup, o.UserID)
	if err != nil {
		t.Fatal(err)
	}
	var out []*store.IntegrityWarning
	for _, w := range ws {
		if w.Rule == rule {
			out = append(out, w)
		}
	}
	return out
}

func factRefs(w *store.IntegrityWarning) []string {
	var out []string
	for _, f := range w.Facts {
		out = append(out, f.Ref())
	}
	slices.Sort(out)
	return out
}

func (f *integrityFixture) complain(t *testing.T, c oversight.Complaint) int64 {
	t.Helper()
	if c.Kind == "" {
		c.Kind, c.Channel, c.Content = oversight.KindComplaint, "12368热线", "反映执行问题"
	}
	id, err := f.db.RegisterComplaint(ctx, f.cc, "鲁0102", c)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// Each rule, read from the records themselves on both engines, fires on
// the facts it should and not on one fewer.
func TestIntegrityRulesOnTheRecords(t *testing.T) {
	t.Run("category3", func(t *testing.T) {
		f := newIntegrityFixture(t) // 2026-09-28
		// Six months and a day before: outside the window.
		f.complain(t, oversight.Complaint{ReceivedOn: domain.MustDate("2026-03-28"), Staff: []string{f.off.Username}, Categories: []string{"C3"}})
		c := f.complain(t, oversight.Complaint{ReceivedOn: domain.MustDate("2026-05-01"), CaseNumbers: []string{f.caseNo}, Categories: []string{"C1", "C3"}})
		f.complain(t, oversight.Complaint{ReceivedOn: domain.MustDate("2026-06-01"), Staff: []string{f.off.Username}, Categories: []string{"C1"}})
		if n := f.evaluate(t); n != 0 {
			t.Fatalf("one category-三 complaint in six months proposed %d", n)
		}
		v := f.partyComplains(t, f.cc) // answers C3.2 on the phone
		if n := f.evaluate(t); n != 1 {
			t.Fatalf("proposed %d", n)
		}
		ws := f.warnings(t, f.off, integrity.RuleCategory3)
		if len(ws) != 1 || !slices.Equal(factRefs(ws[0]), []string{fmt.Sprintf("complaint:%d", c), fmt.Sprintf("visit:%d", v.ID)}) ||
			!strings.Contains(integrity.Grounds(ws[0].Reason, ws[0].Facts), "2026-09-28 回访答复 "+f.caseNo) || ws[0].State != integrity.StateProposed {
			t.Fatalf("warnings %+v", ws)
		}
	})
	t.Run("same_party", func(t *testing.T) {
		f := newIntegrityFixture(t)
		second := "（2026）鲁0102执2号"
		f.addCase(t, second, "2026-04-01", f.off)
		phone := "13905310002"
		a := f.complain(t, oversight.Complaint{ReceivedOn: domain.MustDate("2026-01-10"), CaseNumbers: []string{f.caseNo}, PersonPhone: phone})
		f.complain(t, oversight.Complaint{ReceivedOn: domain.MustDate("2026-02-10"), CaseNumbers: []string{f.caseNo}, PersonPhone: phone})
		f.complain(t, oversight.Complaint{ReceivedOn: domain.MustDate("2026-03-10"), CaseNumbers: []string{second}, PersonPhone: "13905310003"})
		f.complain(t, oversight.Complaint{ReceivedOn: domain.MustDate("2026-03-11"), CaseNumbers: []string{second}})
		if n := f.evaluate(t); n != 0 {
			t.Fatalf("one complainant on one case proposed %d", n)
		}
		b := f.complain(t, oversight.Complaint{ReceivedOn: domain.MustDate("2026-09-01"), CaseNumbers: []string{second}, PersonPhone: phone})
		if n := f.evaluate(t); n != 1 {
			t.Fatalf("proposed %d", n)
		}
		ws := f.warnings(t, f.off, integrity.RuleSameParty)
		if len(ws) != 1 || len(ws[0].Facts) != 3 || !slices.Contains(factRefs(ws[0]), fmt.Sprintf("complaint:%d", a)) ||
			!slices.Contains(factRefs(ws[0]), fmt.Sprintf("complaint:%d", b)) || !strings.Contains(ws[0].Reason, "投诉人139****0002") ||
			strings.Contains(ws[0].Reason, phone) {
			t.Fatalf("warnings %+v", ws)
		}
	})
	t.Run("trip_pattern", func(t *testing.T) {
		f := newIntegrityFixture(t)
		var trips []string
		for _, d := range []string{"2026-06-01", "2026-07-01"} {
			f.set(d + " 07:00")
			trips = append(trips, fmt.Sprintf("trip:%d", f.register(t, f.off, d).ID))
		}
		f.set("2026-09-28 10:00")
		if n := f.evaluate(t); n != 0 {
			t.Fatalf("two trips proposed %d", n)
		}
		// Not yet departed: not a trip he went on.
		f.register(t, f.off, "2026-09-30")
		if n := f.evaluate(t); n != 0 {
			t.Fatalf("a trip to come proposed %d", n)
		}
		f.set("2026-08-01 07:00")
		trips = append(trips, fmt.Sprintf("trip:%d", f.register(t, f.off, "2026-08-01").ID))
		f.set("2026-09-28 10:00")
		if n := f.evaluate(t); n != 1 {
			t.Fatalf("proposed %d", n)
		}
		slices.Sort(trips)
		ws := f.warnings(t, f.off, integrity.RuleTripPattern)
		// The applicant and the respondent share the same trips: one warning.
		if len(ws) != 1 || !slices.Equal(factRefs(ws[0]), trips) || !strings.Contains(ws[0].Reason, "张三") || !strings.Contains(ws[0].Reason, "某某公司") {
			t.Fatalf("warnings %+v", ws)
		}
	})
	t.Run("last_day", func(t *testing.T) {
		f := newIntegrityFixture(t)
		// Back on a Monday; due three working days later, on Thursday.
		file := func(depart, returned, filed string) string {
			f.set(depart + " 07:00")
			tr := f.register(t, f.off, depart)
			f.set(filed + " 16:00")
			id, err := f.file(t, f.off, tr, returned, trip.Annex1Input{})
			if err != nil {
				t.Fatal(err)
			}
			return fmt.Sprintf("report:%d", id)
		}
		var last []string
		last = append(last, file("2026-03-01", "2026-03-02", "2026-03-05"))
		last = append(last, file("2026-05-10", "2026-05-11", "2026-05-14"))
		f.set("2026-09-28 10:00")
		if n := f.evaluate(t); n != 0 || len(f.warnings(t, f.off, integrity.RuleLastDay)) != 0 {
			t.Fatalf("two reports proposed %d", n)
		}
		last = append(last, file("2026-09-06", "2026-09-07", "2026-09-10"))
		f.set("2026-09-28 10:00")
		f.evaluate(t)
		ws := f.warnings(t, f.off, integrity.RuleLastDay)
		slices.Sort(last)
		if len(ws) != 1 || !slices.Equal(factRefs(ws[0]), last) {
			t.Fatalf("warnings %+v", ws)
		}
	})
	t.Run("last_day early", func(t *testing.T) {
		f := newIntegrityFixture(t)
		for _, d := range [][3]string{{"2026-03-01", "2026-03-02", "2026-03-05"}, {"2026-05-10", "2026-05-11", "2026-05-14"}, {"2026-09-06", "2026-09-07", "2026-09-09"}} {
			f.set(d[0] + " 07:00")
			tr := f.register(t, f.off, d[0])
			f.set(d[2] + " 16:00")
			if _, err := f.file(t, f.off, tr, d[1], trip.Annex1Input{}); err != nil {
				t.Fatal(err)
			}
		}
		f.set("2026-09-28 10:00")
		f.evaluate(t)
		if ws := f.warnings(t, f.off, integrity.RuleLastDay); len(ws) != 0 {
			t.Fatalf("one report a day early still warned: %+v", ws)
		}
	})
	t.Run("long_open", func(t *testing.T) {
		f := newIntegrityFixture(t)
		var cases []string
		for i := 1; i <= 2; i++ {
			cases = append(cases, fmt.Sprintf("case:%d", f.addCase(t, fmt.Sprintf("（2024）鲁0102执%d号", i), "2024-01-05", f.off)))
		}
		// Past its limit, but by less than six months.
		f.addCase(t, "（2025）鲁0102执9号", "2025-11-05", f.off)
		if n := f.evaluate(t); n != 0 {
			t.Fatalf("two long-open cases proposed %d", n)
		}
		cases = append(cases, fmt.Sprintf("case:%d", f.addCase(t, "（2024）鲁0102执3号", "2024-01-05", f.off)))
		if n := f.evaluate(t); n != 1 {
			t.Fatalf("proposed %d", n)
		}
		slices.Sort(cases)
		if ws := f.warnings(t, f.off, integrity.RuleLongOpen); len(ws) != 1 || !slices.Equal(factRefs(ws[0]), cases) {
			t.Fatalf("warnings %+v", ws)
		}
	})
}

// A warning's life: the same facts never propose twice, pending or
// decided; a dismissal needs its reason; a new fact proposes again; an
// acceptance is a first-form disposition and its 预警约谈, in the
// caller's transaction, and nothing of either when it fails.
func TestIntegrityWarningLife(t *testing.T) {
	f := newIntegrityFixture(t)
	db := f.db
	for i := 1; i <= 3; i++ {
		f.addCase(t, fmt.Sprintf("（2024）鲁0102执%d号", i), "2024-01-05", f.off)
	}
	if n := f.evaluate(t); n != 1 {
		t.Fatalf("proposed %d", n)
	}
	if n := f.evaluate(t); n != 0 {
		t.Fatalf("the same facts again proposed %d", n)
	}
	w := f.warnings(t, f.off, integrity.RuleLongOpen)[0]
	if !slices.Equal(w.Actions, []integrity.Action{integrity.ActAccept, integrity.ActDismiss}) {
		t.Errorf("actions %v", w.Actions)
	}
	if err := db.DismissIntegrityWarning(ctx, f.sup, w.ID, " "); fieldMsg(err, "reason") != "请写明不予约谈的理由" {
		t.Fatalf("a dismissal without reason: %v", err)
	}
	if err := db.DismissIntegrityWarning(ctx, f.head, w.ID, "正常"); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("the head dismisses: %v", err)
	}
	if err := db.DismissIntegrityWarning(ctx, f.sup, w.ID, "均为执行和解后分期履行的案件，已核实"); err != nil {
		t.Fatal(err)
	}
	w = f.warnings(t, f.off, integrity.RuleLongOpen)[0]
	if w.State != integrity.StateDismissed || w.Note != "均为执行和解后分期履行的案件，已核实" || w.DecidedBy != f.sup.Name+"（sup）" || w.DecidedAt.IsZero() ||
		len(w.Actions) != 0 {
		t.Fatalf("dismissed %+v", w)
	}
	if err := db.DismissIntegrityWarning(ctx, f.sup, w.ID, "再次"); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("dismissed twice: %v", err)
	}
	if n := f.evaluate(t); n != 0 {
		t.Fatalf("facts already dismissed proposed %d", n)
	}
	f.addCase(t, "（2024）鲁0102执4号", "2024-01-05", f.off)
	if n := f.evaluate(t); n != 1 {
		t.Fatalf("a new fact proposed %d", n)
	}
	ws := f.warnings(t, f.off, integrity.RuleLongOpen)
	if len(ws) != 2 || len(ws[0].Facts) != 4 || ws[0].State != integrity.StateProposed {
		t.Fatalf("warnings %+v", ws)
	}
	w = ws[0]

	dispositions := func() int {
		return countRows(t, db, "SELECT COUNT(*) FROM dispositions WHERE user_id = ?", f.off.UserID)
	}
	talk := oversight.Talk{HeldOn: domain.MustDate("2026-09-28"), Place: "纪检监察组谈话室", Participants: "纪检监察组、监察室、" + f.off.Name,
		Content: "就有财产案件长期未结进行预警约谈", Statement: "将加快执行", FollowUpOn: domain.MustDate("2026-12-28")}
	bad := integrity.Acceptance{Decider: "", Talk: oversight.Talk{HeldOn: domain.MustDate("2026-09-29")}}
	if _, err := db.AcceptIntegrityWarning(ctx, f.sup, w.ID, bad); fieldMsg(err, "decider") == "" || fieldMsg(err, "held_on") == "" || fieldMsg(err, "place") == "" {
		t.Fatalf("a bad acceptance: %v", err)
	}
	// Accepted inside a transaction that then fails: neither the
	// disposition, nor the talk, nor the warning's state is kept.
	boom := errors.New("boom")
	err := db.Update(ctx, f.sup, func(tx *store.Tx) error {
		if _, err := tx.AcceptIntegrityWarning(ctx, w.ID, integrity.Acceptance{Decider: "监察室", Talk: talk}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) || dispositions() != 0 || countRows(t, db, "SELECT COUNT(*) FROM disposition_talks") != 0 ||
		f.warnings(t, f.off, integrity.RuleLongOpen)[0].State != integrity.StateProposed {
		t.Fatalf("a rolled-back acceptance left %d dispositions: %v", dispositions(), err)
	}
	// Without 预警约谈 among the measures, nothing is entered.
	db.Measures = oversight.Measures{1: {"谈话提醒"}, 2: {"警告"}, 3: {"免职"}, 4: {"移送"}}
	if _, err := db.AcceptIntegrityWarning(ctx, f.sup, w.ID, integrity.Acceptance{Decider: "监察室", Talk: talk}); !errors.Is(err, domain.ErrConflict) || dispositions() != 0 {
		t.Fatalf("accepted without the measure: %v", err)
	}
	db.Measures = nil
	did, err := db.AcceptIntegrityWarning(ctx, f.sup, w.ID, integrity.Acceptance{Decider: "监察室", Talk: talk})
	if err != nil {
		t.Fatal(err)
	}
	d, err := db.Disposition(ctx, f.group, did)
	if err != nil {
		t.Fatal(err)
	}
	if d.UserID != f.off.UserID || d.Form != 1 || d.Measure != "预警约谈" || d.Decider != "监察室" || d.DecidedOn != talk.HeldOn ||
		!strings.HasPrefix(d.Basis, "廉政档案预警（有财产案件长期未结）：有财产可供执行") || len(d.Talks) != 1 ||
		d.Talks[0].Kind != oversight.TalkWarning || d.Talks[0].Statement != "将加快执行" {
		t.Fatalf("disposition %+v", d)
	}
	w = f.warnings(t, f.off, integrity.RuleLongOpen)[0]
	if w.State != integrity.StateAccepted || w.DispositionID != did {
		t.Fatalf("accepted %+v", w)
	}
	if _, err := db.AcceptIntegrityWarning(ctx, f.sup, w.ID, integrity.Acceptance{Decider: "监察室", Talk: talk}); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("accepted twice: %v", err)
	}
	if n := f.evaluate(t); n != 0 {
		t.Fatalf("after acceptance proposed %d", n)
	}
	for _, a := range []string{"integrity.propose", "integrity.dismiss", "integrity.accept", "integrity.evaluate"} {
		if recs, err := db.ListAudit(ctx, domain.SystemViewer("t"), store.AuditFilter{Action: a}); err != nil || len(recs) == 0 {
			t.Errorf("no audit of %s: %v", a, err)
		}
	}
}

// Only the watchdogs of the officer's court and above see his record and
// warnings, never he himself, even when he is a watchdog too; not his
// head, the bureau or the command centre; not a watchdog beside.
func TestIntegrityRecordSecrecy(t *testing.T) {
	f := newIntegrityFixture(t)
	db := f.db
	for i := 1; i <= 3; i++ {
		f.addCase(t, fmt.Sprintf("（2024）鲁0102执%d号", i), "2024-01-05", f.off)
	}
	f.evaluate(t)
	beside := domain.ViewerFor(testdb.AddUser(t, db, "beside", "鲁02", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	both := domain.ViewerFor(testdb.AddUser(t, db, "both", "鲁0102", "监察室", domain.RoleOfficer, domain.RoleSupervisionOffice), "")
	f.addCase(t, "（2024）鲁0102执8号", "2024-01-05", both)
	for _, v := range []domain.Viewer{f.group, f.sup, f.above} {
		r, err := db.IntegrityRecord(ctx, v, f.off.UserID, integrity.Period{})
		if err != nil || r.Officer.ID != f.off.UserID || len(r.Warnings) != 1 {
			t.Errorf("%s: %v", v.Username, err)
		}
	}
	for _, v := range []domain.Viewer{f.off, f.head, f.bureau, f.cc, beside} {
		if _, err := db.IntegrityRecord(ctx, v, f.off.UserID, integrity.Period{}); !errors.Is(err, domain.ErrForbidden) && !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("%s sees the record: %v", v.Username, err)
		}
		if _, err := db.IntegrityWarnings(ctx, v, f.off.UserID); err == nil && v.Username != "beside" {
			t.Errorf("%s lists the warnings", v.Username)
		}
		if ws, _ := db.IntegrityWarnings(ctx, v, f.off.UserID); len(ws) > 0 {
			t.Errorf("%s sees %d warnings", v.Username, len(ws))
		}
		if ts, _ := db.IntegrityTodos(ctx, v, 10); len(ts) > 0 {
			t.Errorf("%s has warning to-dos", v.Username)
		}
	}
	if _, err := db.IntegrityRecord(ctx, both, both.UserID, integrity.Period{}); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("a watchdog sees his own record: %v", err)
	}
	list, _, err := db.IntegrityOfficers(ctx, both, store.IntegrityFilter{})
	if err != nil || slices.ContainsFunc(list, func(o *store.IntegrityOfficer) bool { return o.ID == both.UserID }) || len(list) != 1 {
		t.Errorf("his own row on his list: %d %v", len(list), err)
	}
	if _, _, err := db.IntegrityOfficers(ctx, f.bureau, store.IntegrityFilter{}); !errors.Is(err, domain.ErrForbidden) {
		t.Errorf("the bureau lists the records: %v", err)
	}
	if _, _, err := db.IntegrityOfficers(ctx, f.group, store.IntegrityFilter{Court: "鲁01"}); !errors.Is(err, domain.ErrForbidden) {
		t.Errorf("the list of a court above: %v", err)
	}
	if _, err := db.EvaluateIntegrity(ctx, f.bureau, "鲁0102"); !errors.Is(err, domain.ErrForbidden) {
		t.Errorf("the bureau runs the rules: %v", err)
	}
	if ts, _ := db.IntegrityTodos(ctx, f.group, 10); len(ts) != 1 || ts[0].UserID != f.off.UserID {
		t.Errorf("the court's watchdog's to-dos: %+v", ts)
	}
	if ts, _ := db.IntegrityTodos(ctx, f.above, 10); len(ts) != 0 {
		t.Errorf("the court above's to-dos: %+v", ts)
	}
}

// The counts of a record over its period, each kind from its records, and
// the median of the court's officers computed by hand; what concerns the
// viewer is not counted for him.
func TestIntegrityRecordCounts(t *testing.T) {
	f := newIntegrityFixture(t) // 2026-09-28
	db := f.db
	off2 := domain.ViewerFor(testdb.AddUser(t, db, "off2", "鲁0102", "执行一庭", domain.RoleOfficer), "")
	off3 := domain.ViewerFor(testdb.AddUser(t, db, "off3", "鲁0102", "执行二庭", domain.RoleOfficer), "")
	// Complaints: off 3 (one naming the 监察室 too), off2 1, off3 0.
	for _, on := range []string{"2026-02-01", "2026-03-01"} {
		f.complain(t, oversight.Complaint{ReceivedOn: domain.MustDate(on), Staff: []string{f.off.Username}})
	}
	named := f.complain(t, oversight.Complaint{ReceivedOn: domain.MustDate("2026-04-01"), Staff: []string{f.off.Username, f.sup.Username}, Categories: []string{"C3"}})
	f.complain(t, oversight.Complaint{ReceivedOn: domain.MustDate("2025-09-28"), Staff: []string{f.off.Username}}) // before the period
	f.complain(t, oversight.Complaint{ReceivedOn: domain.MustDate("2026-04-01"), Staff: []string{off2.Username}})
	// A late report of off, and a disposition with its talk.
	f.set("2026-09-01 07:00")
	tr := f.register(t, f.off, "2026-09-01")
	f.set("2026-09-20 10:00")
	if _, err := f.file(t, f.off, tr, "2026-09-02", trip.Annex1Input{}); err != nil {
		t.Fatal(err)
	}
	did, err := db.RecordDisposition(ctx, f.group, "鲁0102", oversight.Disposition{Person: f.off.Username, Form: 1, Measure: "谈话提醒", Basis: "测试",
		Decider: "纪检监察组", DecidedOn: domain.MustDate("2026-09-10")})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AddTalk(ctx, f.group, did, oversight.Talk{Kind: oversight.TalkReminder, HeldOn: domain.MustDate("2026-09-11"), Place: "谈话室",
		Participants: "甲", Content: "提醒"}); err != nil {
		t.Fatal(err)
	}
	f.set("2026-09-28 10:00")
	r, err := db.IntegrityRecord(ctx, f.group, f.off.UserID, integrity.Period{})
	if err != nil {
		t.Fatal(err)
	}
	c := r.Officer.Counts
	if r.Period.From.String() != "2025-09-29" || c[integrity.KindComplaint] != 3 || c[integrity.KindCategory3] != 1 || c[integrity.KindLate] != 1 ||
		c[integrity.KindDisposition] != 1 || c[integrity.KindTalk] != 1 || c[integrity.KindMissing] != 0 {
		t.Fatalf("counts %v over %s", c, r.Period)
	}
	// The court's officers: off 3, off2 1, off3 0 → median 1.
	if r.CourtOfficers != 3 {
		t.Fatalf("%d officers", r.CourtOfficers)
	}
	cmp := r.Compared[slices.IndexFunc(r.Compared, func(x integrity.Compared) bool { return x.Kind == integrity.KindComplaint })]
	if cmp.N != 3 || cmp.Median != 1 || !cmp.Above() {
		t.Errorf("complaints beside the median: %+v", cmp)
	}
	// A fourth officer with two complaints: the median of 0 1 2 3 is 1.5.
	off4 := domain.ViewerFor(testdb.AddUser(t, db, "off4", "鲁0102", "执行二庭", domain.RoleOfficer), "")
	for range 2 {
		f.complain(t, oversight.Complaint{ReceivedOn: domain.MustDate("2026-05-01"), Staff: []string{off4.Username}})
	}
	r, _ = db.IntegrityRecord(ctx, f.group, f.off.UserID, integrity.Period{})
	if cmp := r.Compared[2]; cmp.Kind != integrity.KindComplaint || cmp.Median != 1.5 || cmp.MedianText() != "1.5" {
		t.Errorf("with four officers: %+v", cmp)
	}
	var hrefs []string
	for _, l := range r.Lines {
		hrefs = append(hrefs, l.Href())
	}
	for _, want := range []string{fmt.Sprintf("/complaints/%d", named), fmt.Sprintf("/trips/%d", tr.ID), fmt.Sprintf("/dispositions/%d", did)} {
		if !slices.Contains(hrefs, want) {
			t.Errorf("no line links %s: %v", want, hrefs)
		}
	}
	if r.Lines[0].Href() != fmt.Sprintf("/trips/%d", tr.ID) {
		t.Errorf("newest first: %v", hrefs)
	}
	// The 监察室, named in one of the complaints, counts two.
	r, _ = db.IntegrityRecord(ctx, f.sup, f.off.UserID, integrity.Period{})
	if r.Officer.Counts[integrity.KindComplaint] != 2 || r.Officer.Counts[integrity.KindCategory3] != 0 {
		t.Errorf("the 监察室 named in a complaint counts %v", r.Officer.Counts)
	}
	// The list, by complaints, most first.
	list, info, err := db.IntegrityOfficers(ctx, f.group, store.IntegrityFilter{Page: store.PageReq{Sort: "complaint", Desc: true}})
	if err != nil || info.Total != 4 || list[0].ID != f.off.UserID || list[1].ID != off4.UserID || list[3].ID != off3.UserID {
		t.Fatalf("list %+v %v", list, err)
	}
	if recs, _ := db.ListAudit(ctx, domain.SystemViewer("t"), store.AuditFilter{Action: "integrity.view"}); len(recs) != 3 {
		t.Errorf("%d views audited", len(recs))
	}
}
