package web_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/app"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// A full disk (SQLite) and a PostgreSQL outage are told to users as such:
// 507 存储空间不足 and 503 with Retry-After, reported by /healthz, and the
// server recovers without a restart (issue 11, point 8).
func TestStorageFullAndOutage(t *testing.T) {
	if testdb.Engine() == "postgres" {
		postgresOutage(t)
		return
	}
	e := newEnv(t)
	testdb.AddUser(t, e.app.DB, "lx.officer", "鲁0102", "执行一庭", domain.RoleOfficer)
	b := e.browser().loggedIn("lx.officer")
	// The disk is full: the database may not grow by a page more.
	var pages int
	e.app.DB.WriteDB().QueryRow("PRAGMA page_count").Scan(&pages)
	e.app.DB.WriteDB().Exec("PRAGMA max_page_count = " + strconv.Itoa(pages))
	// Fill what room the file has left, as the disk fills.
	filler := strings.Repeat("x", 3000)
	for i := 0; i < 10000; i++ {
		if _, err := e.app.DB.WriteDB().Exec("INSERT INTO sms_nonces (nonce, seen_at) VALUES (?, CURRENT_TIMESTAMP)", filler+strconv.Itoa(i)); err != nil {
			break
		}
	}
	// Signing in writes a session and an audit record: on a full disk it
	// fails whole, and says why.
	var r resp
	for range 50 {
		if r = e.browser().login("lx.officer", testdb.Password); r.status == http.StatusInsufficientStorage {
			break
		}
	}
	if r.status != http.StatusInsufficientStorage || !strings.Contains(r.body, "存储空间不足") {
		t.Fatalf("a change on a full disk: %d", r.status)
	}
	if h := e.browser().get("/healthz"); h.status != http.StatusServiceUnavailable || !strings.Contains(h.body, "storage full") {
		t.Fatalf("healthz on a full disk: %d %s", h.status, h.body)
	}
	e.app.Web.MetricsToken = "m"
	req, _ := http.NewRequest("GET", e.srv.URL+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer m")
	if m := b.do(req); !strings.Contains(m.body, "zhilian_storage_full_total 1") || !strings.Contains(m.body, "zhilian_storage_free_bytes ") {
		t.Fatalf("metrics on a full disk:\n%s", m.body)
	}
	// Pages still read.
	if r := b.get("/"); r.status != 200 {
		t.Fatalf("reading on a full disk: %d", r.status)
	}
}

// postgresOutage runs the program against PostgreSQL through a proxy,
// takes the proxy away as a stopped server would, and brings it back.
func postgresOutage(t *testing.T) {
	dsn := testdb.DSN(t)
	u, _ := url.Parse(dsn)
	p := startProxy(t, u.Host)
	u.Host = p.addr
	a, err := app.Open(context.Background(), app.Config{DB: u.String(), Key: testdb.Key, Params: testdb.CheapParams, UploadDir: t.TempDir()}, slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	e := newEnvFor(t, a)
	testdb.AddUser(t, a.DB, "lx.officer", "鲁0102", "执行一庭", domain.RoleOfficer)
	b := e.browser().loggedIn("lx.officer")
	p.stop()
	r := b.get("/cases")
	if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" || !strings.Contains(r.body, "数据库暂时无法连接") {
		t.Fatalf("a page during the outage: %d %q", r.status, r.header.Get("Retry-After"))
	}
	if h := e.browser().get("/healthz"); h.status != http.StatusServiceUnavailable {
		t.Fatalf("healthz during the outage: %d", h.status)
	}
	p.start(t)
	if r := b.get("/cases"); r.status != 200 {
		t.Fatalf("after the outage, without a restart: %d", r.status)
	}
}

// proxy forwards TCP to a server until stopped, and can start again on
// the same address.
type proxy struct {
	addr, target string
	mu           sync.Mutex
	ln           net.Listener
	conns        []net.Conn
}

func startProxy(t *testing.T, target string) *proxy {
	p := &proxy{target: target}
	p.start(t)
	t.Cleanup(p.stop)
	return p
}

func (p *proxy) start(t *testing.T) {
	t.Helper()
	addr := p.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go func() { io.Copy(s, c); s.Close() }()
			go func() { io.Copy(c, s); c.Close() }()
		}
	}()
}

// stop closes the listener and every connection, as a server going away.
func (p *proxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// An import whose worker died says so, and is taken over (the queue's
// resume job, tested in package jobs); one the command line left is shown
// as failed, not as importing forever (issue 11, point 4). Uploads go to
// the upload directory; a starting server sweeps those of no live import.
func TestStaleImportAndUploads(t *testing.T) {
	e := newEnv(t)
	caseUsers(t, e)
	ctx := context.Background()
	cc := mustUser(t, e.app.DB, "lx.cc")
	ccv := domain.ViewerFor(cc, "")
	b := e.browser().loggedIn("lx.cc")
	live := filepath.Join(e.app.Config.UploadDir, "upload-live")
	os.WriteFile(live, []byte(caseCSV), 0o600)
	os.Chtimes(live, time.Now().Add(-time.Hour), time.Now().Add(-time.Hour))
	page, err := e.app.Queue.StartImport(ctx, ccv, "cases.csv", int64(len(caseCSV)), live, "")
	if err != nil {
		t.Fatal(err)
	}
	if r := b.get("/cases/import/" + strconv.FormatInt(page, 10)); !strings.Contains(r.body, "正在排队等待导入") {
		t.Fatalf("a waiting import: %s", r.body)
	}
	if im, err := e.app.DB.ClaimImport(ctx, page); err != nil || im == nil {
		t.Fatalf("claim: %v", err)
	}
	cli, err := e.app.DB.StartImport(ctx, ccv, "cases.csv", 100)
	if err != nil {
		t.Fatal(err)
	}
	if r := b.get("/cases/import/" + strconv.FormatInt(cli, 10)); !strings.Contains(r.body, "正在") {
		t.Fatalf("a running import: %s", r.body)
	}
	// Their processes were killed: no beat for longer than ImportStaleAfter.
	clock := e.app.DB.Now
	e.app.DB.Now = func() time.Time { return clock().Add(store.ImportStaleAfter + time.Second) }
	r := b.get("/cases/import/" + strconv.FormatInt(cli, 10))
	if strings.Contains(r.body, "正在导入") || !strings.Contains(r.body, "服务已停止") {
		t.Fatalf("a command-line import whose process died: %s", r.body)
	}
	if r := b.get("/cases/import/" + strconv.FormatInt(page, 10)); !strings.Contains(r.body, "导入进程已中断，即将自动继续") {
		t.Fatalf("a page import whose worker died: %s", r.body)
	}
	e.app.DB.Now = clock
	// Leftovers are swept when a server starts; the file of an import
	// still to run is kept.
	old := filepath.Join(e.app.Config.UploadDir, "upload-123")
	os.WriteFile(old, []byte("x"), 0o600)
	os.Chtimes(old, time.Now().Add(-time.Hour), time.Now().Add(-time.Hour))
	// Only uploads are swept, whatever else shares the directory.
	other := filepath.Join(e.app.Config.UploadDir, "notes.txt")
	os.WriteFile(other, []byte("x"), 0o600)
	os.Chtimes(other, time.Now().Add(-time.Hour), time.Now().Add(-time.Hour))
	e.app.Config.Addr = "127.0.0.1:0"
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- e.app.Run(runCtx) }()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(old); err != nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	<-done
	if _, err := os.Stat(old); err == nil {
		t.Fatal("an upload a stopped process left was not swept at start")
	}
	if _, err := os.Stat(live); err != nil {
		t.Fatalf("the upload of an import to resume was swept: %v", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Fatalf("a file that is no upload was swept: %v", err)
	}
}
