package web_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/app"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// bulk inserts rows into table with multi-row statements, straight into
// the database: benchmark data, not the import path.
func bulk(b *testing.B, db *store.DB, table, cols string, rows [][]any) {
	b.Helper()
	n := strings.Count(cols, ",") + 1
	per := 30000 / n
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		var sb strings.Builder
		sb.WriteString("INSERT INTO " + table + " (" + cols + ") VALUES ")
		args := make([]any, 0, len(chunk)*n)
		p := 0
		for i, r := range chunk {
			if i > 0 {
				sb.WriteString(",")
			}
			sb.WriteString("(")
			for j := range r {
				if j > 0 {
					sb.WriteString(",")
				}
				p++
				if db.Engine == store.Postgres {
					fmt.Fprintf(&sb, "$%d", p)
				} else {
					sb.WriteString("?")
				}
			}
			sb.WriteString(")")
			args = append(args, r...)
		}
		if _, err := db.WriteDB().ExecContext(context.Background(), sb.String(), args...); err != nil {
			b.Fatalf("bulk %s: %v", table, err)
		}
	}
}

// BenchmarkVisitStatsPage measures the statistics page on a province of
// 1,000,000 cases with ten years of visits (about 300,000 visits and
// 150,000 answers), as the provincial discipline group sees it: the
// default twelve months by court, by officer, and ten years by month.
// It reports the p95 of 30 requests each.
//
//	go test -run '^$' -bench VisitStatsPage -benchtime 1x ./internal/web/
func BenchmarkVisitStatsPage(b *testing.B) {
	ctx := context.Background()
	a, err := app.Open(ctx, app.Config{DB: testdb.DSN(b), Key: testdb.Key, Params: testdb.CheapParams}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	db := a.DB
	courts, _ := db.Courts(ctx, domain.SystemViewer("b"))
	basic := courts
	testdb.AddUser(b, db, "prov.watch", "鲁", "派驻纪检监察组", domain.RoleDisciplineGroup)
	var officers []int64
	for i := range 200 {
		c := basic[i%len(basic)]
		u := testdb.AddUser(b, db, fmt.Sprintf("o%03d", i), c.Code, "执行一庭", domain.RoleOfficer)
		officers = append(officers, u.ID)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	today := db.Today()
	start := domain.NewDate(today.Year()-10, today.Month(), 1)
	const cases = 1_000_000
	now := time.Now().UTC()
	rows := make([][]any, 0, cases)
	for i := range cases {
		c := basic[i%len(basic)]
		filed := start.AddDays(rng.IntN(3650))
		var closed any
		if rng.IntN(100) < 85 {
			closed = filed.AddDays(30 + rng.IntN(400)).String()
		}
		rows = append(rows, []any{fmt.Sprintf("（%d）%s执%d号", filed.Year(), c.Code, i+1), filed.Year(), c.ID, "执", i + 1, filed.String(), closed, "x", now, now})
	}
	bulk(b, db, "cases", "number, year, court_id, type, serial, filed_on, closed_on, source_hash, created_at, updated_at", rows)
	var caseIDs []int64
	r, _ := db.WriteDB().QueryContext(ctx, "SELECT id FROM cases ORDER BY id")
	for r.Next() {
		var id int64
		r.Scan(&id)
		caseIDs = append(caseIDs, id)
	}
	r.Close()
	var visits, answers [][]any
	steps := []string{"closed", "closed", "closed", "phone_pending", "consultation", "onsite_pending", "sms_sent"}
	id := 0
	for m := 0; m < 120; m++ {
		month := start.AddMonths(m).String()[:7]
		for _, c := range basic {
			for range 16 {
				id++
				step := steps[rng.IntN(len(steps))]
				sat := rng.IntN(100) < 80
				officer := officers[rng.IntN(len(officers))]
				visits = append(visits, []any{caseIDs[rng.IntN(len(caseIDs))], "applicant", "当事人", "daily", c.ID, officer, step, "[]", "bench", now, now, month,
					true, rng.IntN(100) < 70, step != "closed" || !sat, step == "consultation" || step == "onsite_pending", step == "onsite_pending", sat})
				if id%2 == 0 {
					items := ""
					if !sat {
						items = fmt.Sprintf("C%d.%d", 1+rng.IntN(3), 1+rng.IntN(6))
					}
					answers = append(answers, []any{id, "sms", sat, "", items, "", now, month, c.ID, officer})
				}
			}
		}
	}
	bulk(b, db, "visits", "case_id, party_role, party_name, kind, court_id, officer_id, step, decisions, created_by, created_at, updated_at, month, sms_sent, replied, reached_phone, reached_consult, reached_onsite, satisfied", visits)
	bulk(b, db, "visit_answers", "visit_id, source, satisfied, categories, items, text, at, month, court_id, officer_id", answers)
	if err := db.RebuildVisitRollup(ctx); err != nil {
		b.Fatal(err)
	}
	if err := db.Analyze(ctx); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(a.Web.Handler())
	defer srv.Close()
	client := loginClient(b, srv.URL, "prov.watch")
	b.ReportMetric(float64(len(visits)), "visits")
	for b.Loop() {
		for _, q := range []struct{ metric, path string }{
			{"p95-12m-by-court-ms", "/visit-stats"},
			{"p95-12m-by-officer-ms", "/visit-stats?by=officer"},
			{"p95-10y-by-month-ms", "/visit-stats?by=month&from=" + start.String()[:7]},
			{"p95-10y-by-court-ms", "/visit-stats?by=court&from=" + start.String()[:7]},
		} {
			var ds []time.Duration
			for range 30 {
				t0 := time.Now()
				res, err := client.Get(srv.URL + q.path)
				if err != nil || res.StatusCode != http.StatusOK {
					b.Fatalf("%s: %v %v", q.path, err, res)
				}
				res.Body.Close()
				ds = append(ds, time.Since(t0))
			}
			slices.Sort(ds)
			b.ReportMetric(float64(ds[len(ds)*95/100-1].Microseconds())/1000, q.metric)
		}
	}
}

// loginClient returns an HTTP client signed in as username.
func loginClient(tb testing.TB, base, username string) *http.Client {
	tb.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest("POST", base+"/login", strings.NewReader(url.Values{"username": {username}, "password": {testdb.Password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	res, err := c.Do(req)
	if err != nil || res.StatusCode != http.StatusSeeOther {
		tb.Fatalf("login %s: %v %v", username, err, res)
	}
	res.Body.Close()
	return c
}
