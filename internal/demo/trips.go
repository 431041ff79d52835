package demo

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/trip"
	"github.com/zhilian/zhilian/internal/visit"
)

// SeedTrips gives a few demo courts trips in every state of the fourth
// mechanism: leaving soon with and without the head's requirements, a
// requirement given after departure, back and due, overdue past the
// second deadline, reported on time, late, with a 有, found not truthful
// by a party's complaint, reviewed and concluded, within the jurisdiction,
// marked 未成行 by the head after departure, a head's own trip with the
// bureau's requirement, two travellers each filing his own 附件1; and
// 附件2 filed for closed cases. Reports fall due by rules. It runs
// once.
func SeedTrips(ctx context.Context, db *store.DB, log *slog.Logger, rules trip.Rules) error {
	sys := domain.SystemViewer("demo")
	if ts, _, err := db.TripPage(ctx, sys, store.TripFilter{Page: store.PageReq{Size: 1}}); err != nil || len(ts) > 0 {
		return err
	}
	real := db.Now
	defer func() { db.Now = real }()
	now := real()
	n := 0
	for _, code := range []string{"鲁0102", "鲁0103", "鲁01", "鲁0202"} {
		c, err := db.CourtByCode(ctx, code)
		if err != nil {
			continue // not a demo court
		}
		k, err := seedCourtTrips(ctx, db, c, now, rules)
		if err != nil {
			return fmt.Errorf("demo trips at %s: %w", code, err)
		}
		n += k
	}
	log.Info("demo trips", "trips", n)
	return nil
}

func seedCourtTrips(ctx context.Context, db *store.DB, c *domain.Court, now time.Time, rules trip.Rules) (int, error) {
	user := func(key string) (domain.Viewer, error) {
		u, _, err := db.UserForLogin(ctx, Username(c.Code, key))
		if err != nil {
			return domain.Viewer{}, err
		}
		return domain.ViewerFor(u, "demo"), nil
	}
	var off1, off2, off3, head1, head2, group, bureau domain.Viewer
	for key, v := range map[string]*domain.Viewer{"officer1": &off1, "officer2": &off2, "officer3": &off3, "head1": &head1, "head2": &head2, "discipline": &group,
		"bureau": &bureau} {
		u, err := user(key)
		if err != nil {
			return 0, err
		}
		*v = u
	}
	// Cases each officer handles, open and closed.
	casesOf := func(v domain.Viewer, closed bool) ([]*domain.Case, error) {
		status := "open"
		if closed {
			status = "closed"
		}
		p, err := db.Cases(ctx, domain.SystemViewer("demo"), store.CaseFilter{Query: v.Name, Court: c.Code, Status: status, Limit: 20})
		if err != nil {
			return nil, err
		}
		var out []*domain.Case
		for _, k := range p.Cases {
			if k.OfficerID == v.UserID {
				out = append(out, k)
			}
		}
		return out, nil
	}
	at := func(d time.Duration) time.Time { return now.Add(d).Truncate(time.Hour) }
	set := func(t time.Time) { db.Now = func() time.Time { return t } }
	day := 24 * time.Hour
	allNo := func() trip.Answers {
		a := trip.Answers{}
		for _, it := range trip.Items {
			a[it.Code] = false
		}
		return a
	}
	type plan struct {
		who                 *domain.Viewer
		dest                string
		depart, back        time.Duration // from now
		task                string
		reqAt               time.Duration // 0: none; relative to departure
		reqGiven            bool
		reportAt            time.Duration // 0: none; relative to return
		yes                 []string
		explain             string
		complaint, conclude bool
		notTaken            string         // the head's reason, marked a day after departure
		casesOf             *domain.Viewer // whose cases the trip is for, if not who's own: a head leading his officer's
		with                *domain.Viewer // a colleague who goes too and files his own report
	}
	plans := []plan{
		{who: &off1, dest: "370203", depart: 3 * day, back: 5 * day, task: "赴青岛查封被执行人房产"},
		{who: &off2, dest: "110105", depart: day, back: 3 * day, task: "赴北京调查被执行人银行账户", reqAt: -20 * time.Hour, reqGiven: true},
		{who: &off3, dest: "320102 340104", depart: -2 * day, back: -day, task: "赴南京扣押被执行人车辆，再赴合肥查询账户", reqAt: -30 * time.Hour, reqGiven: true},
		{who: &off1, dest: "440305", depart: -20 * day, back: -18 * day, task: "赴深圳执行股权冻结", reqAt: -2 * day, reqGiven: true},
		{who: &off2, dest: "370602", depart: -30 * day, back: -29 * day, task: "赴烟台送达执行文书", reqAt: -day, reqGiven: true, reportAt: day},
		{who: &off3, dest: "370303", depart: -26 * day, back: -24 * day, task: "赴淄博现场勘验", reqAt: -day, reqGiven: true, reportAt: 2 * day,
			yes: []string{"T1"}, explain: "返程时搭乘申请人代理人车辆，未支付费用"},
		{who: &off1, dest: "371002", depart: -40 * day, back: -38 * day, task: "赴威海协助执行", reqAt: 3 * time.Hour, reqGiven: true, reportAt: 9 * day},
		{who: &off2, dest: "370102", depart: -10 * day, back: -10*day + 6*time.Hour, task: "本辖区内查封"},
		{who: &off1, dest: "370211", depart: -50 * day, back: -48 * day, task: "赴青岛黄岛区查封土地", reqAt: -day, reqGiven: false, reportAt: day, complaint: true},
		{who: &off3, dest: "371302", depart: -60 * day, back: -58 * day, task: "赴临沂执行", reqAt: -day, reqGiven: true, reportAt: day,
			yes: []string{"T5"}, explain: "因情况紧急使用私车", conclude: true},
		{who: &off2, dest: "110105", depart: -9 * day, back: -8 * day, task: "赴北京查询被执行人股权", reqAt: -day, reqGiven: true,
			notTaken: "出发当日被执行人主动履行，未成行"},
		{who: &head1, dest: "370203", depart: -15 * day, back: -14 * day, task: "部门负责人带队赴青岛执行", reqAt: -day, reqGiven: true, reportAt: day,
			casesOf: &off1},
		{who: &off1, with: &off3, dest: "370687", depart: -34 * day, back: -32 * day, task: "赴海阳查封被执行人厂房设备", reqAt: -day, reqGiven: true,
			reportAt: day},
	}
	n := 0
	for _, p := range plans {
		whose := p.who
		if p.casesOf != nil {
			whose = p.casesOf
		}
		open, err := casesOf(*whose, false)
		if err != nil {
			return n, err
		}
		if len(open) == 0 {
			continue
		}
		k := open[n%len(open)]
		depart, back := at(p.depart), at(p.back)
		set(at(p.depart - 3*day))
		travellers := []domain.Viewer{*p.who}
		var with []int64
		if p.with != nil {
			travellers, with = append(travellers, *p.with), []int64{p.with.UserID}
		}
		t, err := db.CreateTrip(ctx, *p.who, trip.Plan{CaseNumbers: []string{k.No.String()}, Destinations: strings.Fields(p.dest), DepartAt: depart, ReturnAt: back,
			Task: p.task, Companions: "书记员", Travellers: with}, rules)
		if err != nil {
			return n, err
		}
		n++
		// The trip's leader: the department's head, or for a head's own
		// trip the bureau.
		head := head1
		if p.who.DepartmentID == head2.DepartmentID {
			head = head2
		}
		if t.LeaderRole == domain.RoleBureau {
			head = bureau
		}
		if p.reqAt != 0 {
			set(depart.Add(p.reqAt))
			content := ""
			if p.reqGiven {
				content = "严守办案纪律，不得与当事人同吃同住，不得接受宴请和礼品，费用一律自行承担。"
			}
			if err := db.RecordRequirement(ctx, head, t.ID, p.reqGiven, content, ""); err != nil {
				return n, err
			}
		}
		if p.notTaken != "" {
			set(depart.Add(day))
			if err := db.MarkNotTaken(ctx, head, t.ID, p.notTaken); err != nil {
				return n, err
			}
		}
		if p.reportAt == 0 {
			continue
		}
		set(back.Add(p.reportAt))
		a := allNo()
		for _, y := range p.yes {
			a[y] = true
		}
		accounts := map[int64]string{}
		for _, tc := range t.Cases {
			accounts[tc.ID] = p.task + "：已按计划完成，相关笔录、文书已入卷。"
		}
		// Every traveller files his own.
		for _, v := range travellers {
			if _, err := db.FileTripReport(ctx, v, t.ID, trip.Annex1Input{ReturnedOn: domain.DateOf(back, domain.Beijing), Answers: a,
				Explanation: p.explain, Attested: true, CaseAccounts: accounts}, rules); err != nil {
				return n, err
			}
		}
		if p.complaint {
			// A party later says the officer accepted a meal: the report
			// said 无.
			set(back.Add(5 * day))
			if _, err := db.AddFocusedVisit(ctx, domain.SystemViewer("demo"), k.ID, "当事人来电反映"); err == nil {
				vs, _ := db.Visits(ctx, domain.SystemViewer("demo"), store.VisitFilter{CaseID: k.ID, Step: "new"})
				for _, vi := range vs {
					no := false
					cfg := visit.DefaultConfig()
					if _, err := db.ApplyVisitEvent(ctx, domain.SystemViewer("demo"), vi.ID, visit.Event{Kind: visit.EventStartPhone}, cfg); err != nil {
						return n, err
					}
					if _, err := db.ApplyVisitEvent(ctx, domain.SystemViewer("demo"), vi.ID, visit.Event{Kind: visit.EventPhoneRecorded,
						Answers: &visit.Answers{Satisfied: &no, Items: []string{"C3.2"}, Text: "承办人曾接受对方当事人宴请"}}, cfg); err != nil {
						return n, err
					}
					break
				}
			}
		}
		if p.conclude {
			set(back.Add(p.reportAt + day))
			rs, err := db.TripReviewsOf(ctx, group, t.ID, 0)
			if err != nil {
				return n, err
			}
			for _, r := range rs {
				if err := db.NoteReview(ctx, head, r.ID, "已谈话提醒，要求今后严格执行公车使用规定"); err != nil {
					return n, err
				}
				if err := db.ConcludeReview(ctx, group, r.ID, "经核实属紧急情况，予以提醒，不作处理"); err != nil {
					return n, err
				}
			}
		}
	}
	// 附件2 for closed cases: one 做到, one 未做到.
	for i, who := range []domain.Viewer{off2, off3} {
		closed, err := casesOf(who, true)
		if err != nil || len(closed) == 0 {
			continue
		}
		set(now.Add(-day))
		in := trip.Annex2Input{Fulfilled: true, Attested: true}
		if i == 1 {
			in = trip.Annex2Input{Fulfilled: false, Explanation: "执行期间曾接受被执行人赠送的土特产一箱，已退还", Attested: true}
		}
		if _, err := db.FileAnnex2(ctx, who, closed[0].ID, in); err != nil {
			return n, err
		}
	}
	return n, nil
}
