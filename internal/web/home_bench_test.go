package web_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/app"
	"github.com/zhilian/zhilian/internal/auth"
	"github.com/zhilian/zhilian/internal/caseimport"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/importer"
	"github.com/zhilian/zhilian/internal/jobs"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/synth"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/visit"
)

// BenchmarkHomePage measures the home page (every role's to-dos) and the
// to-do pages of the mechanisms on a synthetic province: ZHILIAN_BENCH_CASES
// cases (100,000 if unset) over every basic court, imported by caseimport,
// then the focused scan run without a daily capacity so that every case
// meeting a criterion has its visits open (the worst case: 890,638 visits
// on a million cases), a tenth of them moved on to the consultation. Each
// page is asked by 32 clients at once (b.SetParallelism) for
// ZHILIAN_BENCH_SECONDS (10 if unset) and reports p50 and p95:
//
//	ZHILIAN_TEST_DB=sqlite go test -run '^$' -bench HomePage -benchtime 1x -timeout 2h ./internal/web/
func BenchmarkHomePage(b *testing.B) {
	ctx := context.Background()
	cases := 100_000
	if s := os.Getenv("ZHILIAN_BENCH_CASES"); s != "" {
		cases, _ = strconv.Atoi(s)
	}
	dur := 10 * time.Second
	if s := os.Getenv("ZHILIAN_BENCH_SECONDS"); s != "" {
		n, _ := strconv.Atoi(s)
		dur = time.Duration(n) * time.Second
	}
	a, err := app.Open(ctx, app.Config{DB: testdb.DSN(b), Key: testdb.Key, Params: testdb.CheapParams, Jobs: jobs.Config{NoPeriodic: true}}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	db := a.DB
	today := domain.MustDate("2026-11-01")
	db.Now = func() time.Time { return time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC) }
	all, err := db.Courts(ctx, domain.SystemViewer("bench"))
	if err != nil {
		b.Fatal(err)
	}
	var courts []synth.Court
	for _, c := range all {
		if len([]rune(c.Code)) == 5 { // the basic courts: 鲁0102
			courts = append(courts, synth.Court{Code: c.Code, Officers: []synth.Officer{{Name: "张伟" + c.Code, Department: "执行一庭"}, {Name: "李强" + c.Code, Department: "执行二庭"}}})
		}
	}
	path := filepath.Join(b.TempDir(), "cases.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := synth.New(synth.Config{Seed: 1, Today: today}, courts).WriteCSV(w, cases); err != nil {
		b.Fatal(err)
	}
	w.Flush()
	f.Close()
	in, _ := os.Open(path)
	st, _ := in.Stat()
	if _, err := caseimport.Load(ctx, db, domain.SystemViewer("bench"), in, st.Size(), importer.Options{CaseTypes: domain.DefaultCaseTypes}, nil, 0); err != nil {
		b.Fatal(err)
	}
	in.Close()
	rule := visit.DefaultFocusRule()
	rule.DailyCapacity = 0 // every visit at once: the page's worst case
	t0 := time.Now()
	rep, err := db.ScanFocused(ctx, store.FocusScan{Today: today, Rule: rule})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("focused scan: %d cases, %d visits in %s", rep.Found, rep.Created, time.Since(t0).Round(time.Second))
	if _, err := db.WriteDB().ExecContext(ctx, "UPDATE visits SET step = 'consultation' WHERE id % 10 = 0"); err != nil {
		b.Fatal(err)
	}
	if err := db.Analyze(ctx); err != nil {
		b.Fatal(err)
	}
	// The plan of the command centre's to-do query (store.VisitTodos).
	explain := "EXPLAIN QUERY PLAN "
	if db.Engine == store.Postgres {
		explain = "EXPLAIN "
	}
	q := explain + `SELECT vi.id, k.number, vi.party_name, vi.party_role, c.name, vi.step, vi.due_at, vi.decisions FROM visits vi JOIN cases k ON k.id = vi.case_id
		JOIN courts c ON c.id = vi.court_id WHERE vi.court_id = (SELECT id FROM courts WHERE code = '鲁0102') AND vi.step = 'new'
		AND NOT EXISTS (SELECT 1 FROM case_officers co WHERE co.case_id = vi.case_id AND co.user_id = 1) AND vi.due_at IS NOT NULL ORDER BY vi.due_at, vi.id LIMIT 300`
	if rows, err := db.WriteDB().QueryContext(ctx, q); err == nil {
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			b.Logf("plan: %v", vals)
		}
		rows.Close()
	}
	testdb.AddUser(b, db, "home.cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	testdb.AddUser(b, db, "home.bureau", "鲁", "执行局", domain.RoleBureau)
	testdb.AddUser(b, db, "home.watch", "鲁", "派驻纪检监察组", domain.RoleDisciplineGroup)
	testdb.AddUser(b, db, "home.watch2", "鲁", "派驻纪检监察组", domain.RoleDisciplineGroup)
	srv := httptest.NewServer(a.Web.Handler())
	defer srv.Close()
	b.ReportMetric(float64(rep.Created), "visits")
	for _, q := range []struct{ name, user, path string }{
		{"home-command", "home.cc", "/"},
		{"home-bureau", "home.bureau", "/"},
		{"home-watchdog", "home.watch", "/"},
		{"tracking-bureau", "home.bureau", "/tracking"},
		{"inspections-bureau", "home.bureau", "/inspections"},
		{"integrity-watchdog", "home.watch2", "/integrity?pending=1"},
		{"reports-bureau", "home.bureau", "/reports"},
	} {
		b.Run(q.name, func(b *testing.B) {
			client := loginClient(b, srv.URL, q.user)
			enrolSecondFactor(b, client, srv.URL, db)
			client.Transport = &http.Transport{MaxIdleConnsPerHost: 64}
			var mu sync.Mutex
			var ds []time.Duration
			b.SetParallelism(max(1, 32/runtime.GOMAXPROCS(0)))
			// Each of the 32 clients asks again and again for dur, whatever
			// b.N is: the figures are the latencies, not ns/op.
			end := time.Now().Add(dur)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
				}
				var mine []time.Duration
				for time.Now().Before(end) {
					t := time.Now()
					res, err := client.Get(srv.URL + q.path)
					if err != nil || res.StatusCode != http.StatusOK {
						b.Errorf("%s: %v %v", q.path, err, res)
						return
					}
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					mine = append(mine, time.Since(t))
				}
				mu.Lock()
				ds = append(ds, mine...)
				mu.Unlock()
			})
			slices.Sort(ds)
			if len(ds) == 0 {
				b.Fatal("no requests")
			}
			ms := func(p int) float64 { return float64(ds[min(len(ds)-1, len(ds)*p/100)].Microseconds()) / 1000 }
			b.ReportMetric(ms(50), "p50-ms")
			b.ReportMetric(ms(95), "p95-ms")
			b.ReportMetric(float64(len(ds))/dur.Seconds(), "req/s")
			b.ReportMetric(0, "ns/op")
		})
	}
	fmt.Fprintln(os.Stderr, "home bench done")
}

// enrolSecondFactor enrols a signed-in watchdog's authenticator, as the
// watchdogs must, so that client reaches the pages; for other roles it
// does nothing.
func enrolSecondFactor(b *testing.B, client *http.Client, base string, db *store.DB) {
	res, err := client.Get(base + "/login/2fa")
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := secretRE.FindStringSubmatch(string(body))
	if m == nil {
		return
	}
	code, err := auth.Code(m[1], auth.Step(db.Now()))
	if err != nil {
		b.Fatal(err)
	}
	req, _ := http.NewRequest("POST", base+"/login/2fa", strings.NewReader(url.Values{"action": {"enrol"}, "code": {code}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	res, err = client.Do(req)
	if err != nil || res.StatusCode != http.StatusOK {
		b.Fatalf("enrolling: %v %v", err, res)
	}
	res.Body.Close()
}
