package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/testdb"
)

// The test binary doubles as zhilian: with ZHILIAN_RUN_MAIN=1 it runs the
// program, so that tests start real processes without a separate build.
func TestMain(m *testing.M) {
	if os.Getenv("ZHILIAN_RUN_MAIN") == "1" {
		main()
		return
	}
	code := testdb.Main(m)
	removeDemoTemplate()
	os.Exit(code)
}

var ctx = context.Background()

// cli runs one command in-process and returns its exit code and output.
func cli(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	// The commands find the test databases' key where an operator would
	// put it.
	t.Setenv("ZHILIAN_KEY", testdb.Key)
	var out, errb bytes.Buffer
	code := run(ctx, args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// proc is a zhilian process started by a test.
type proc struct {
	cmd *exec.Cmd
	url string
	mu  sync.Mutex
	out bytes.Buffer
}

var urlRE = regexp.MustCompile(`https?://127\.0\.0\.1:[0-9]+`)

// start runs zhilian with args and waits until it prints the URL it serves.
func start(t testing.TB, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(os.Args[0], args...)}
	p.cmd.Env = append(os.Environ(), "ZHILIAN_RUN_MAIN=1", "ZHILIAN_LOG_LEVEL=warn", "ZHILIAN_KEY="+testdb.Key)
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.cmd.Stderr = &lockedWriter{p: p}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill(); p.cmd.Wait() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sent := false
		for sc.Scan() {
			p.mu.Lock()
			p.out.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
			if u := urlRE.FindString(sc.Text()); u != "" && !sent {
				found <- u
				sent = true
			}
		}
	}()
	// Seeding a fresh demo takes more than a minute under -race, several
	// on a loaded machine; it prints its URL only then.
	limit := 90 * time.Second
	if len(args) > 0 && args[0] == "demo" {
		limit = 5 * time.Minute
	}
	select {
	case p.url = <-found:
	case <-time.After(limit):
		t.Fatalf("zhilian %v did not start:\n%s", args, p.output())
	}
	return p
}

type lockedWriter struct{ p *proc }

func (w *lockedWriter) Write(b []byte) (int, error) {
	w.p.mu.Lock()
	defer w.p.mu.Unlock()
	return w.p.out.Write(b)
}

func (p *proc) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// stop sends SIGTERM and expects a clean exit within the grace period.
func (p *proc) stop(t testing.TB) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("zhilian exited with %v after SIGTERM:\n%s", err, p.output())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("zhilian did not stop within 30s of SIGTERM:\n%s", p.output())
	}
}

func get(t *testing.T, url string, header ...string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}
