package web_test

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"
)

// pgPair is a throwaway PostgreSQL primary and a hot standby streaming
// from it, each a server of its own in a temporary directory on a free
// port of 127.0.0.1, stopped and removed when the test ends.
type pgPair struct {
	t                  *testing.T
	bin, dir           string
	primary, standby   int // ports
	primaryDB, standDB *sql.DB
}

// pgBinDir is the newest Debian PostgreSQL server's binaries, or where
// initdb is on PATH; as scripts/pg-throwaway.sh looks for them.
func pgBinDir(t *testing.T) string {
	t.Helper()
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return vi < vj
	})
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "pg_basebackup")); err == nil {
			return dirs[i]
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Dir(real)
		}
	}
	t.Fatal("PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) not found under /usr/lib/postgresql/*/bin or on PATH: " +
		"install the postgresql package; the read replica test belongs to the PostgreSQL pass and does not skip")
	return ""
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// run runs a server binary, as the postgres user when the test runs as
// root (the server refuses to run as root).
func (p *pgPair) run(name string, args ...string) {
	p.t.Helper()
	path := filepath.Join(p.bin, name)
	var cmd *exec.Cmd
	if os.Geteuid() == 0 {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		p.t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

func (p *pgPair) url(port int, db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", port, db)
}

// startPGPair makes the primary (initdb, WAL for replication, trust for
// replication connections from 127.0.0.1, which initdb -A trust
// writes), a database named db on it, then the standby: pg_basebackup -R
// (standby.signal and primary_conninfo) into a directory of its own,
// started on another port, and waited for until it is in recovery and
// has replayed all the primary wrote.
func startPGPair(t *testing.T, db string) *pgPair {
	t.Helper()
	p := &pgPair{t: t, bin: pgBinDir(t)}
	dir, err := os.MkdirTemp("", "zhilian-replica-")
	if err != nil {
		t.Fatal(err)
	}
	p.dir = dir
	t.Cleanup(func() { os.RemoveAll(dir) })
	if os.Geteuid() == 0 {
		pg, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root, the servers run as the postgres user: %v", err)
		}
		uid, _ := strconv.Atoi(pg.Uid)
		gid, _ := strconv.Atoi(pg.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	primary, standby := filepath.Join(dir, "primary"), filepath.Join(dir, "standby")
	p.run("initdb", "-D", primary, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync")
	p.primary = freePort(t)
	opts := func(port int) string {
		return fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -c unix_socket_directories=%s -c max_connections=60 -c fsync=off -c wal_level=replica -c max_wal_senders=4", port, dir)
	}
	p.run("pg_ctl", "-D", primary, "-l", filepath.Join(dir, "primary.log"), "-o", opts(p.primary), "-w", "-t", "30", "start")
	t.Cleanup(func() { p.stop(primary) })
	p.primaryDB = p.open(p.primary, "postgres")
	if _, err := p.primaryDB.Exec("CREATE DATABASE " + db); err != nil {
		t.Fatal(err)
	}
	p.run("pg_basebackup", "-h", "127.0.0.1", "-p", strconv.Itoa(p.primary), "-U", "postgres", "-D", standby, "-R", "-X", "stream", "-c", "fast", "--no-sync")
	p.standby = freePort(t)
	p.run("pg_ctl", "-D", standby, "-l", filepath.Join(dir, "standby.log"), "-o", opts(p.standby), "-w", "-t", "30", "start")
	t.Cleanup(func() { p.stopStandby() })
	p.standDB = p.open(p.standby, "postgres")
	var inRecovery bool
	if err := p.standDB.QueryRow("SELECT pg_is_in_recovery()").Scan(&inRecovery); err != nil || !inRecovery {
		t.Fatalf("the standby is not in recovery: %v %v", inRecovery, err)
	}
	p.caughtUp()
	return p
}

func (p *pgPair) open(port int, db string) *sql.DB {
	p.t.Helper()
	d, err := sql.Open("pgx", p.url(port, db))
	if err != nil {
		p.t.Fatal(err)
	}
	p.t.Cleanup(func() { d.Close() })
	if err := d.Ping(); err != nil {
		p.t.Fatal(err)
	}
	return d
}

func (p *pgPair) stop(data string) {
	path := filepath.Join(p.bin, "pg_ctl")
	args := []string{"-D", data, "-m", "immediate", "-w", "stop"}
	if os.Geteuid() == 0 {
		exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...).Run()
		return
	}
	exec.Command(path, args...).Run()
}

// stopStandby stops the standby at once, as a crash would.
func (p *pgPair) stopStandby() { p.stop(filepath.Join(p.dir, "standby")) }

// caughtUp waits until the standby has replayed all the primary has
// written so far.
func (p *pgPair) caughtUp() {
	p.t.Helper()
	var lsn string
	if err := p.primaryDB.QueryRow("SELECT pg_current_wal_lsn()::text").Scan(&lsn); err != nil {
		p.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		var done bool
		err := p.standDB.QueryRowContext(ctx, "SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn", lsn).Scan(&done)
		if err == nil && done {
			return
		}
		if ctx.Err() != nil {
			p.t.Fatalf("the standby did not replay up to %s: %v", lsn, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// pause stops the standby replaying WAL (it still receives it), and
// resume lets it go on.
func (p *pgPair) pause() {
	p.t.Helper()
	if _, err := p.standDB.Exec("SELECT pg_wal_replay_pause()"); err != nil {
		p.t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		var state string
		if err := p.standDB.QueryRow("SELECT pg_get_wal_replay_pause_state()").Scan(&state); err != nil {
			p.t.Fatal(err)
		}
		if state == "paused" {
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("replay not paused: %s", state)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (p *pgPair) resume() {
	p.t.Helper()
	if _, err := p.standDB.Exec("SELECT pg_wal_replay_resume()"); err != nil {
		p.t.Fatal(err)
	}
}
