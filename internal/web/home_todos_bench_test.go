package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/app"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/jobs"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/tracking"
	"github.com/zhilian/zhilian/internal/trip"
)

// BenchmarkHomeTodos measures, one request at a time, the home page of an
// officer of 鲁0102 with 3,000 cases (2,400 closed over three years, about
// 200 of them in the last 90 days owing his 附件2) and 2,000 trips over five
// years (50 not yet reported), and of the court's bureau member who is
// also its bureau leader, with 1,000 open trackings (100 evaluated, 50 of
// them in consultation with the bureau's opinion given). Besides ns/op it
// reports the statements the page runs (stmts/page), which must not grow
// with the trackings (issue 19: TrackingTodos ran three a tracking):
//
//	ZHILIAN_TEST_DB=sqlite go test -run '^$' -bench HomeTodos -benchtime 200x ./internal/web/
func BenchmarkHomeTodos(b *testing.B) {
	ctx := context.Background()
	a, err := app.Open(ctx, app.Config{DB: testdb.DSN(b), Key: testdb.Key, Params: testdb.CheapParams, Jobs: jobs.Config{NoPeriodic: true}}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	db := a.DB
	clock := time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return clock }
	sys := domain.SystemViewer("bench")
	off := testdb.AddUser(b, db, "ht.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	chief := testdb.AddUser(b, db, "ht.chief", "鲁0102", "执行局", domain.RoleBureau)
	office := testdb.AddUser(b, db, "ht.office", "鲁0102", "监察室", domain.RoleSupervisionOffice)
	if err := db.AppointPost(ctx, sys, "鲁0102", oversight.PostBureauLeader, chief.ID); err != nil {
		b.Fatal(err)
	}
	day, closing := domain.MustDate("2023-01-01"), domain.MustDate("2024-01-01")
	var cases []*domain.Case
	for i := range 4000 {
		no, err := domain.ParseCaseNo(fmt.Sprintf("（2023）鲁0102执%d号", i+1), domain.DefaultCaseTypes)
		if err != nil {
			b.Fatal(err)
		}
		k := &domain.Case{No: no, FiledOn: day.AddDays(i % 360), Officer: off.Name, Department: "执行一庭", Amount: 100000,
			Parties: []domain.Party{{Role: domain.Applicant, Name: "张三"}, {Role: domain.Respondent, Name: "某某公司", Org: true}}}
		if i >= 3000 {
			k.Officer, k.Department = "李强", "执行二庭"
		} else if i%5 != 0 {
			k.ClosedOn, k.ClosingMode = closing.AddDays(i%1036), "执行完毕"
		}
		cases = append(cases, k)
	}
	for i := 0; i < len(cases); i += 500 {
		if err := db.Update(ctx, sys, func(tx *store.Tx) error {
			_, err := tx.UpsertCases(ctx, cases[i:min(i+500, len(cases))], nil)
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
	rows, err := db.WriteDB().QueryContext(ctx, "SELECT id FROM cases WHERE officer = '李强' ORDER BY id")
	if err != nil {
		b.Fatal(err)
	}
	var tracked []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		tracked = append(tracked, id)
	}
	rows.Close()
	if len(tracked) != 1000 {
		b.Fatalf("%d cases to track", len(tracked))
	}
	cv, ov := domain.ViewerFor(chief, ""), domain.ViewerFor(office, "")
	ev, err := tracking.NewEvaluation(tracking.DefaultFactors(), map[string]string{"amount": "5", "parties": "4", "media": "3", "complaints": "5", "findings": "1"},
		tracking.ResultTrack, "标的大，投诉集中")
	if err != nil {
		b.Fatal(err)
	}
	yes := true
	for i, caseID := range tracked {
		id, err := db.OpenTracking(ctx, sys, caseID, domain.MustDate("2026-10-01").AddDays(i%40))
		if err != nil {
			b.Fatal(err)
		}
		if i%10 == 0 {
			if err := db.Evaluate(ctx, cv, id, ev); err != nil {
				b.Fatal(err)
			}
		}
		if i%20 == 0 {
			if err := db.OpenConsultation(ctx, ov, id, &tracking.Consultation{Date: domain.MustDate("2026-11-01"), Place: "第一会议室", Minutes: "三家会商",
				Participants: map[domain.Role]string{domain.RoleBureau: "局长甲", domain.RoleDisciplineGroup: "组长乙", domain.RoleSupervisionOffice: "主任丙"}}); err != nil {
				b.Fatal(err)
			}
			if err := db.GiveOpinion(ctx, cv, id, domain.RoleBureau, &yes, "同意"); err != nil {
				b.Fatal(err)
			}
		}
	}
	offV := domain.ViewerFor(off, "")
	start := time.Date(2021, 11, 1, 8, 0, 0, 0, domain.Beijing)
	for i := range 2000 {
		depart := start.Add(time.Duration(i) * 22 * time.Hour)
		clock = depart.Add(-24 * time.Hour)
		if _, err := db.CreateTrip(ctx, offV, trip.Plan{CaseNumbers: []string{cases[i%3000].No.String()}, Destinations: []string{"370203"},
			DepartAt: depart, ReturnAt: depart.Add(30 * time.Hour), Task: "查封被执行人房产"}, trip.DefaultRules()); err != nil {
			b.Fatal(err)
		}
	}
	clock = time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC)
	if _, err := db.WriteDB().ExecContext(ctx, "UPDATE trips SET status = 'reported' WHERE id <= (SELECT MAX(id) - 50 FROM trips)"); err != nil {
		b.Fatal(err)
	}
	if err := db.Analyze(ctx); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(a.Web.Handler())
	defer srv.Close()
	for _, q := range []struct{ name, user, want string }{
		{"officer", "ht.off", "/trips/"},
		{"tracking-chief", "ht.chief", "综合评估重点案件候选"},
	} {
		b.Run(q.name, func(b *testing.B) {
			client := loginClient(b, srv.URL, q.user)
			get := func() string {
				res, err := client.Get(srv.URL + "/")
				if err != nil || res.StatusCode != http.StatusOK {
					b.Fatalf("home page: %v %v", err, res)
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				return string(body)
			}
			var n atomic.Int64
			db.BenchTrace(func(string, []any) { n.Add(1) })
			body := get()
			db.BenchTrace(nil)
			if !strings.Contains(body, q.want) {
				b.Fatalf("the page lacks %s", q.want)
			}
			b.ResetTimer()
			for range b.N {
				get()
			}
			b.ReportMetric(float64(n.Load()), "stmts/page")
		})
	}
}
