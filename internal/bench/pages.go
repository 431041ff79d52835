package bench

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/zhilian/zhilian/internal/auth"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
)

// Password is the password of the bench's accounts (bench.command,
// bench.bureau, bench.watchdog), so that a person can look at the
// province afterwards with `zhilian serve --db` on the same database.
const Password = "Zl-bench-2026-province"

// target is one page to load: a client signed in as its role and the
// paths it asks for in turn.
type target struct {
	name   string
	client *http.Client
	bearer string
	paths  []string
}

type loader struct {
	db    *store.DB
	base  string
	conns int
	log   *slog.Logger
	// profiles, if set, is a directory that gets a CPU profile of the
	// process for each page's load (NAME.pprof) and for the replay of its
	// SQL (NAME.raw.pprof), for `go tool pprof`: the CPU per request of
	// each, which the ratio of the medians follows under saturation.
	profiles string
}

// pages makes the bench's accounts, signs them in over HTTP as a browser
// does (enrolling the watchdog's second factor from the page), and returns
// the pages to load.
func (p *province) pages(ctx context.Context, svc *auth.Service, l *loader) ([]target, error) {
	sys := domain.SystemViewer("bench")
	accounts := []domain.User{
		{Username: "bench.command", Name: "压测指挥", CourtCode: "鲁0102", Department: "执行指挥中心", Roles: []domain.Role{domain.RoleCommandCenter}},
		{Username: "bench.bureau", Name: "压测执行局", CourtCode: "鲁", Department: "执行局", Roles: []domain.Role{domain.RoleBureau}},
		{Username: "bench.watchdog", Name: "压测纪检", CourtCode: "鲁", Department: "派驻纪检监察组", Roles: []domain.Role{domain.RoleDisciplineGroup}},
		// One of the synthetic 承办人 of 鲁0102: his account takes his
		// cases (a tenth of the court's), whose 附件2 his home page asks.
		{Username: "bench.officer", Name: officerNames[0], CourtCode: "鲁0102", Department: "执行一庭", Roles: []domain.Role{domain.RoleOfficer}},
	}
	clients := map[string]*http.Client{}
	for i := range accounts {
		u := accounts[i]
		if err := svc.CreateUser(ctx, sys, &u, Password); err != nil {
			return nil, fmt.Errorf("adding %s: %w", u.Username, err)
		}
		c, err := l.login(u.Username)
		if err != nil {
			return nil, err
		}
		clients[u.Username] = c
	}
	var token string
	err := p.db.Update(ctx, sys, func(tx *store.Tx) error {
		var err error
		token, err = tx.CreateAPIToken(ctx, "bench.bureau", "压测", 24*time.Hour)
		return err
	})
	if err != nil {
		return nil, err
	}
	// Cases spread over the province for the detail page; the searches
	// look for one of them by part of its number and by a party's name.
	var total int
	if err := p.db.BenchReadDB().QueryRowContext(ctx, "SELECT COUNT(*) FROM cases").Scan(&total); err != nil {
		return nil, err
	}
	step := max(1, total/200)
	ids, err := caseIDs(ctx, p.db, step)
	if err != nil {
		return nil, err
	}
	var details []string
	for _, id := range ids {
		details = append(details, "/cases/"+strconv.FormatInt(id, 10))
	}
	if len(ids) == 0 {
		return nil, errors.New("no cases to look at")
	}
	k, err := p.db.CaseByID(ctx, sys, ids[len(ids)/2])
	if err != nil {
		return nil, err
	}
	if len(k.Parties) == 0 {
		return nil, fmt.Errorf("case %s has no parties", k.Number)
	}
	partial := "执" + strconv.Itoa(k.No.Serial) + "号"
	bureau, watchdog := clients["bench.bureau"], clients["bench.watchdog"]
	return []target{
		{name: "home-command", client: clients["bench.command"], paths: []string{"/"}},
		{name: "home-bureau", client: bureau, paths: []string{"/"}},
		{name: "home-watchdog", client: watchdog, paths: []string{"/"}},
		{name: "home-officer", client: clients["bench.officer"], paths: []string{"/"}},
		{name: "case-list", client: bureau, paths: []string{"/cases"}},
		{name: "search-number", client: bureau, paths: []string{"/cases?q=" + url.QueryEscape(partial)}},
		{name: "search-name", client: bureau, paths: []string{"/cases?q=" + url.QueryEscape(k.Parties[0].Name)}},
		{name: "case-detail", client: bureau, paths: details},
		{name: "stats", client: watchdog, paths: []string{"/visit-stats"}},
		{name: "api-cases", client: &http.Client{Transport: bureau.Transport}, bearer: token, paths: []string{"/api/v1/cases"}},
	}, nil
}

// caseIDs returns up to 200 case ids, every step-th.
func caseIDs(ctx context.Context, db *store.DB, step int) ([]int64, error) {
	rows, err := db.BenchReadDB().QueryContext(ctx, db.Rebind("SELECT id FROM cases WHERE id % ? = 0 ORDER BY id LIMIT 200"), step)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

var secretRE = regexp.MustCompile(`data-testid="totp-secret">([A-Z2-7]+)<`)

// newClient is a client that keeps its cookies and does not follow
// redirects, with a connection for each of the bench's connections.
func (l *loader) newClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	tr := &http.Transport{MaxIdleConns: l.conns * 2, MaxIdleConnsPerHost: l.conns * 2, IdleConnTimeout: time.Minute}
	return &http.Client{Jar: jar, Transport: tr, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (l *loader) post(c *http.Client, path string, form url.Values) (status int, location, body string, err error) {
	req, _ := http.NewRequest("POST", l.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", l.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		return 0, "", "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(b), err
}

// login signs username in as a browser does; an account that needs a
// second factor enrols at this first login with the secret on the page.
func (l *loader) login(username string) (*http.Client, error) {
	c := l.newClient()
	status, loc, _, err := l.post(c, "/login", url.Values{"username": {username}, "password": {Password}})
	if err != nil {
		return nil, err
	}
	if status != http.StatusSeeOther {
		return nil, fmt.Errorf("login %s: status %d", username, status)
	}
	if strings.HasPrefix(loc, "/login/2fa") {
		r, err := c.Get(l.base + "/login/2fa")
		if err != nil {
			return nil, err
		}
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		m := secretRE.FindStringSubmatch(string(b))
		if m == nil {
			return nil, fmt.Errorf("login %s: no enrolment on the second-factor page (status %d)", username, r.StatusCode)
		}
		code, err := auth.Code(m[1], auth.Step(time.Now()))
		if err != nil {
			return nil, err
		}
		status, _, body, err := l.post(c, "/login/2fa", url.Values{"action": {"enrol"}, "code": {code}})
		if err != nil {
			return nil, err
		}
		if status != http.StatusOK || !strings.Contains(body, "recovery-codes") {
			return nil, fmt.Errorf("login %s: enrolling the second factor: status %d", username, status)
		}
	} else if loc != "/" {
		return nil, fmt.Errorf("login %s: sent to %s", username, loc)
	}
	r, err := c.Get(l.base + "/")
	if err != nil {
		return nil, err
	}
	_, _ = io.Copy(io.Discard, r.Body)
	r.Body.Close()
	if r.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("login %s: home page %d", username, r.StatusCode)
	}
	return c, nil
}

// get asks for one path and reads the answer whole.
func (l *loader) get(ctx context.Context, t target, path string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", l.base+path, nil)
	if err != nil {
		return 0, err
	}
	if t.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+t.bearer)
	}
	res, err := t.client.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, err
}

// statement is one traced reading statement of a page.
type statement struct {
	q    string
	args []any
}

// measure loads one page with l.conns connections for d, then replays the
// page's own SQL — traced from one request of each of its paths — directly
// on the engine with the same connections, each path's statements in turn
// as the load asks for the paths, and compares the medians.
func (l *loader) measure(ctx context.Context, t target, d time.Duration) (Page, error) {
	pg := Page{Name: t.name, Path: t.paths[0]}
	perPath, err := l.trace(ctx, t)
	if err != nil {
		return pg, err
	}
	n := 0
	for _, stmts := range perPath {
		n += len(stmts)
	}
	pg.Statements = (n + len(perPath)/2) / len(perPath)
	if err := l.writeSQL(t, perPath); err != nil {
		return pg, err
	}

	runtime.GC()
	resetPeak()
	stop, err := l.profile(t.name)
	if err != nil {
		return pg, err
	}
	var next int64
	var nmu sync.Mutex
	wires := make([]*wire, l.conns)
	for i := range wires {
		if wires[i], err = newWire(l.base, t); err != nil {
			_ = stop()
			return pg, err
		}
	}
	lat, errs := l.loop(ctx, d, func(ctx context.Context, worker int) error {
		nmu.Lock()
		path := t.paths[next%int64(len(t.paths))]
		next++
		nmu.Unlock()
		status, err := wires[worker].get(ctx, path)
		if err != nil {
			return err
		}
		if status != http.StatusOK {
			return fmt.Errorf("status %d", status)
		}
		return nil
	})
	for _, w := range wires {
		w.close()
	}
	if err := stop(); err != nil {
		return pg, err
	}
	pg.RSSMB = peakRSS()
	pg.Requests, pg.Errors = len(lat)+errs, errs
	if len(lat) > 0 {
		pg.P50, pg.P95, pg.P99 = pct(lat, 50), pct(lat, 95), pct(lat, 99)
		pg.RPS = float64(len(lat)) / d.Seconds()
	}

	// The same statements straight on the engine, as many at once.
	rd := min(d, 5*time.Second)
	run, done, err := replay(ctx, l.db.BenchReadDB(), perPath, l.db.Engine == store.SQLite)
	if err != nil {
		return pg, fmt.Errorf("%s: preparing its SQL: %w", t.name, err)
	}
	stopRaw, err := l.profile(t.name + ".raw")
	if err != nil {
		done()
		return pg, err
	}
	raw, rerrs := l.loop(ctx, rd, run)
	done()
	if err := stopRaw(); err != nil {
		return pg, err
	}
	if rerrs > 0 {
		return pg, fmt.Errorf("%s: replaying its SQL failed %d times", t.name, rerrs)
	}
	if len(raw) > 0 {
		pg.RawMS = pct(raw, 50)
		pg.RawRPS = float64(len(raw)) / rd.Seconds()
	}
	if pg.RawMS > 0 {
		pg.Ratio = pg.P50 / pg.RawMS
	}
	l.log.Info("bench: page", "name", pg.Name, "p50", pg.P50, "p95", pg.P95, "rps", pg.RPS, "raw_ms", pg.RawMS, "errors", pg.Errors)
	return pg, nil
}

// trace returns the statements one request of each of t's paths runs.
// Each path is asked once untraced, so that what the page caches for a
// while (the court directory, a minute) is fresh, then once traced: the
// page's own statements, without a cache's refill among them, which the
// page's load pays once a minute, not once a request.
func (l *loader) trace(ctx context.Context, t target) ([][]statement, error) {
	var out [][]statement
	for _, path := range t.paths {
		if _, err := l.get(ctx, t, path); err != nil {
			return nil, fmt.Errorf("%s: %w", t.name, err)
		}
		var mu sync.Mutex
		var stmts []statement
		l.db.BenchTrace(func(q string, args []any) {
			mu.Lock()
			stmts = append(stmts, statement{q, args})
			mu.Unlock()
		})
		status, err := l.get(ctx, t, path)
		l.db.BenchTrace(nil)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.name, err)
		}
		if status != http.StatusOK {
			return nil, fmt.Errorf("%s %s: status %d", t.name, path, status)
		}
		out = append(out, stmts)
	}
	return out, nil
}

// loop runs do on l.conns goroutines for d and returns the latencies of
// the calls that succeeded (ms) and how many failed.
func (l *loader) loop(ctx context.Context, d time.Duration, do func(ctx context.Context, worker int) error) ([]float64, int) {
	// Requests in flight at the end finish rather than being cut, so that
	// no page fails for the bench's own sake.
	end := time.Now().Add(d)
	var mu sync.Mutex
	var lat []float64
	errs := 0
	var wg sync.WaitGroup
	for worker := range l.conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []float64
			bad := 0
			for ctx.Err() == nil && time.Now().Before(end) {
				t0 := time.Now()
				if err := do(ctx, worker); err != nil {
					if ctx.Err() == nil {
						bad++
						l.log.Debug("bench: request failed", "err", err)
					}
					continue
				}
				mine = append(mine, float64(time.Since(t0).Microseconds())/1000)
			}
			mu.Lock()
			lat, errs = append(lat, mine...), errs+bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	return lat, errs
}

// replay runs one path's statements one after the other on db and reads
// every row, the paths in turn as the page's load asks for them (a page
// over many cases reads the same cases here), each statement prepared
// once for the whole replay, as the server keeps them, so the baseline is
// the engine's best: execution without planning. On SQLite that is a
// statement prepared on the pool, as the server's statement cache holds
// them. On PostgreSQL it is the SQL text, as the server sends it, which
// pgx prepares once per connection and keeps: a database/sql statement
// prepared on the pool instead had been prepared again on each
// connection that database/sql opened past its two idle ones, and made
// the replay three to six times slower than the pages themselves.
func replay(ctx context.Context, db *sql.DB, perPath [][]statement, prepare bool) (func(context.Context, int) error, func(), error) {
	prepared := map[string]*sql.Stmt{}
	done := func() {
		for _, st := range prepared {
			_ = st.Close()
		}
	}
	for _, stmts := range perPath {
		for _, s := range stmts {
			if !prepare || prepared[s.q] != nil {
				continue
			}
			st, err := db.PrepareContext(ctx, s.q) //nolint:sqlclosecheck // closed by done, after the replay
			if err != nil {
				done()
				return nil, nil, err
			}
			prepared[s.q] = st
		}
	}
	var mu sync.Mutex
	var next int
	return func(ctx context.Context, _ int) error {
		mu.Lock()
		stmts := perPath[next%len(perPath)]
		next++
		mu.Unlock()
		for _, s := range stmts {
			var rows *sql.Rows
			var err error
			if st := prepared[s.q]; st != nil {
				rows, err = st.QueryContext(ctx, s.args...)
			} else {
				rows, err = db.QueryContext(ctx, s.q, s.args...)
			}
			if err != nil {
				return err
			}
			if err := readAll(rows); err != nil {
				return err
			}
		}
		return nil
	}, done, nil
}

// readAll reads every row of a statement's rows and closes them.
func readAll(rows *sql.Rows) error {
	defer rows.Close()
	cols, _ := rows.Columns()
	dest := make([]any, len(cols))
	for i := range dest {
		dest[i] = new(sql.RawBytes)
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
	}
	return rows.Err()
}

// pct is the p-th percentile of ms (sorted in place).
func pct(ms []float64, p int) float64 {
	slices.Sort(ms)
	i := (len(ms)*p + 99) / 100
	return ms[min(max(i-1, 0), len(ms)-1)]
}

// writeSQL writes, beside the profiles, the statements one request of
// each of the page's paths ran, each with its arguments: what the raw
// baseline replays.
func (l *loader) writeSQL(t target, perPath [][]statement) error {
	if l.profiles == "" {
		return nil
	}
	var b strings.Builder
	for i, stmts := range perPath {
		if len(perPath) > 1 {
			fmt.Fprintf(&b, "-- path: %s\n\n", t.paths[i])
		}
		for _, st := range stmts {
			args, err := json.Marshal(st.args)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "-- args: %s\n%s;\n\n", args, strings.TrimSpace(st.q))
		}
	}
	return os.WriteFile(filepath.Join(l.profiles, t.name+".sql"), []byte(b.String()), 0o600)
}

// profile starts the CPU profile of a page's load if profiles are asked
// for; the function it returns stops and writes it.
func (l *loader) profile(name string) (stop func() error, err error) {
	return startProfile(l.profiles, name)
}

// startProfile starts a CPU profile written to dir/NAME.pprof, or nothing
// without a dir.
func startProfile(dir, name string) (stop func() error, err error) {
	if dir == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(filepath.Join(dir, name+".pprof"))
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() error {
		pprof.StopCPUProfile()
		return f.Close()
	}, nil
}
