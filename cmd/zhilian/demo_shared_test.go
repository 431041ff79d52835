package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/testdb"
)

// Seeding the demo province takes a minute or more under -race; the
// browser walks on demo data each need one, so they share one seeded per
// test process (sharedDemo). TestDemo still seeds its own: it checks that
// `zhilian demo` builds the province on a fresh directory.

// demoTemplatePassword is the password the shared demo is seeded with;
// a walk that starts it with another one exercises the demo's reset of
// its accounts' passwords on a reused directory.
const demoTemplatePassword = "Demo#template2026"

// demoReady is what `zhilian demo` prints once it is seeded and serving.
const demoReady = "按 Ctrl+C 退出"

var demoTemplate struct {
	mu   sync.Mutex
	dir  string // the stopped demo's data directory
	day  string // the Beijing date it was seeded on
	took time.Duration
}

// sharedDemo starts `zhilian demo` with password on a copy of the demo
// province seeded once per test process, and returns it with its data
// directory, the test's own: the walk may write. A template seeded on
// another Beijing day than today is seeded again, so that records dated
// relative to the day of seeding stand as a fresh demo's would.
func sharedDemo(t *testing.T, password string) (*proc, string) {
	t.Helper()
	src, took, err := demoTemplateDir()
	if err != nil {
		t.Fatalf("seeding the shared demo: %v", err)
	}
	t.Logf("the shared demo was seeded in %s", took.Round(time.Second))
	dir := t.TempDir()
	if err := copyTree(src, dir); err != nil {
		t.Fatalf("copying the shared demo: %v", err)
	}
	p := start(t, "demo", "--data", dir, "--addr", "127.0.0.1:0", "--password", password)
	waitFor(t, p, demoReady)
	return p, dir
}

// demoTemplateDir returns the shared demo's directory and how long it
// took to seed, seeding it first if need be.
func demoTemplateDir() (string, time.Duration, error) {
	demoTemplate.mu.Lock()
	defer demoTemplate.mu.Unlock()
	today := time.Now().In(domain.Beijing).Format("2006-01-02")
	if demoTemplate.dir != "" && demoTemplate.day == today {
		return demoTemplate.dir, demoTemplate.took, nil
	}
	if demoTemplate.dir != "" {
		os.RemoveAll(demoTemplate.dir)
		demoTemplate.dir = ""
	}
	begun := time.Now()
	dir, err := seedDemo()
	if err != nil {
		os.RemoveAll(dir)
		return "", 0, err
	}
	demoTemplate.dir, demoTemplate.took = dir, time.Since(begun)
	// The day it was seeded on: the day when it began, should seeding
	// cross midnight, since then the next walk seeds again.
	demoTemplate.day = begun.In(domain.Beijing).Format("2006-01-02")
	return dir, demoTemplate.took, nil
}

// removeDemoTemplate is called once the tests have run.
func removeDemoTemplate() {
	demoTemplate.mu.Lock()
	defer demoTemplate.mu.Unlock()
	if demoTemplate.dir != "" {
		os.RemoveAll(demoTemplate.dir)
		demoTemplate.dir = ""
	}
}

// seedDemo runs `zhilian demo` on a new directory until it serves, then
// stops it with SIGTERM so that the database is closed cleanly.
func seedDemo() (string, error) {
	dir, err := os.MkdirTemp("", "zhilian-demo-template-")
	if err != nil {
		return "", err
	}
	cmd := exec.Command(os.Args[0], "demo", "--data", dir, "--addr", "127.0.0.1:0", "--password", demoTemplatePassword)
	cmd.Env = append(os.Environ(), "ZHILIAN_RUN_MAIN=1", "ZHILIAN_LOG_LEVEL=warn", "ZHILIAN_KEY="+testdb.Key)
	out := &testdb.SyncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return dir, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.After(10 * time.Minute)
	for !strings.Contains(out.String(), demoReady) {
		select {
		case err := <-exited:
			return dir, fmt.Errorf("zhilian demo exited (%v) before it served:\n%s", err, out.String())
		case <-deadline:
			cmd.Process.Kill()
			<-exited
			return dir, fmt.Errorf("zhilian demo not seeded within 10 minutes:\n%s", out.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-exited:
		if err != nil {
			return dir, fmt.Errorf("zhilian demo exited with %v after SIGTERM:\n%s", err, out.String())
		}
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		<-exited
		return dir, fmt.Errorf("zhilian demo did not stop within 60s of SIGTERM:\n%s", out.String())
	}
	return dir, nil
}

// copyTree copies the regular files and directories under src into dst,
// keeping their permissions (the master key file stays private).
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(target, info.Mode().Perm())
		}
		if !info.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file", path)
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		o, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, info.Mode().Perm())
		if err != nil {
			return err
		}
		if _, err := io.Copy(o, in); err != nil {
			o.Close()
			return err
		}
		return o.Close()
	})
}
