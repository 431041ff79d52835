// Package testdb gives each test a real, migrated database of its own, on
// the engine named by ZHILIAN_TEST_DB: "sqlite" (the default) or a
// postgres:// admin URL. A migrated template is made once per test binary
// and copied per test (a file copy on SQLite, CREATE DATABASE … TEMPLATE on
// PostgreSQL), so a fresh database costs milliseconds, not a migration.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the admin connection for CREATE DATABASE

	"github.com/zhilian/zhilian/internal/crypto"
	"github.com/zhilian/zhilian/internal/jobs"
	"github.com/zhilian/zhilian/internal/store"
)

// Engine returns "sqlite" or "postgres" for the configured test engine.
func Engine() string {
	if store.IsPostgres(os.Getenv("ZHILIAN_TEST_DB")) {
		return "postgres"
	}
	return "sqlite"
}

var (
	once     sync.Once
	template string // SQLite template file, or PostgreSQL template database name
	tmplDir  string
	onceErr  error
	mu       sync.Mutex
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func randName(prefix string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// adminURL returns the PostgreSQL admin URL with the database replaced.
func dbURL(database string) string {
	u, err := url.Parse(os.Getenv("ZHILIAN_TEST_DB"))
	if err != nil {
		panic(err)
	}
	u.Path = "/" + database
	return u.String()
}

// localeClause gives the template database the collation named by
// ZHILIAN_TEST_PG_LOCALE, an ICU locale such as zh-CN, as its default:
// a province's cluster made with a Chinese locale, whose text compares
// and sorts by it wherever a column does not say COLLATE "C". Unset, the
// template takes the cluster's.
func localeClause() string {
	loc := os.Getenv("ZHILIAN_TEST_PG_LOCALE")
	if loc == "" {
		return ""
	}
	return " TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '" + strings.ReplaceAll(loc, "'", "") + "' LOCALE 'C.UTF-8'"
}

func admin() (*sql.DB, error) {
	return sql.Open("pgx", os.Getenv("ZHILIAN_TEST_DB"))
}

func prepare() {
	ctx := context.Background()
	if Engine() == "sqlite" {
		tmplDir, onceErr = os.MkdirTemp("", "zhilian-tmpl-")
		if onceErr != nil {
			return
		}
		template = filepath.Join(tmplDir, "template.db")
		var db *store.DB
		if db, onceErr = store.Open(ctx, template); onceErr != nil {
			return
		}
		db.UseKeys(keys())
		if onceErr = jobs.MigrateAll(ctx, db, quiet()); onceErr != nil {
			return
		}
		// Fold the WAL into the main file so a plain copy is complete.
		if _, onceErr = db.WriteDB().ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); onceErr != nil {
			return
		}
		onceErr = db.Close()
		return
	}
	template = randName("zl_tmpl_")
	a, err := admin()
	if err != nil {
		onceErr = err
		return
	}
	defer a.Close()
	if _, onceErr = a.ExecContext(ctx, "CREATE DATABASE "+template+localeClause()); onceErr != nil {
		return
	}
	db, err := store.Open(ctx, dbURL(template))
	if err != nil {
		onceErr = err
		return
	}
	db.UseKeys(keys())
	if onceErr = jobs.MigrateAll(ctx, db, quiet()); onceErr != nil {
		db.Close()
		return
	}
	onceErr = db.Close()
}

// DSN returns the address of a fresh, migrated database for t, dropped when
// t ends.
func DSN(t testing.TB) string {
	t.Helper()
	once.Do(prepare)
	if onceErr != nil {
		t.Fatalf("preparing template database: %v", onceErr)
	}
	if Engine() == "sqlite" {
		path := filepath.Join(t.TempDir(), "zhilian.db")
		src, err := os.ReadFile(template)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, src, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	name := randName("zl_t_")
	a, err := admin()
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	// CREATE DATABASE … TEMPLATE fails while another copy is being made
	// from the same template: one at a time within this binary.
	mu.Lock()
	_, err = a.Exec("CREATE DATABASE " + name + " TEMPLATE " + template)
	mu.Unlock()
	if err != nil {
		t.Fatalf("creating test database: %v", err)
	}
	t.Cleanup(func() {
		a, err := admin()
		if err != nil {
			return
		}
		defer a.Close()
		a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	return dbURL(name)
}

// Key is the master key of test databases; give it to app.Config.Key.
const Key = "7a68696c69616e2d746573742d6b65792d6e6f742d666f722d70726f64756374"

// Sealer returns the keys of test databases.
func Sealer(t testing.TB) *crypto.Keys {
	t.Helper()
	return keys()
}

func keys() *crypto.Keys {
	raw, err := crypto.ParseKey(Key)
	if err != nil {
		panic(err)
	}
	k, err := crypto.NewKeys(raw)
	if err != nil {
		panic(err)
	}
	return k
}

// Open returns a fresh, migrated store for t, closed when t ends, with the
// test key for personal information.
func Open(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	db.UseKeys(keys())
	t.Cleanup(func() { db.Close() })
	return db
}

// Main runs the tests of a package and then removes the template:
// func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }.
func Main(m *testing.M) int {
	code := m.Run()
	if template == "" {
		return code
	}
	if Engine() == "sqlite" {
		os.RemoveAll(tmplDir)
		return code
	}
	if a, err := admin(); err == nil {
		a.Exec("DROP DATABASE IF EXISTS " + template + " WITH (FORCE)")
		a.Close()
	}
	return code
}

// Exec runs a statement written with ? placeholders directly on the
// database, bypassing the store: for tests that tamper by hand.
func Exec(t testing.TB, db *store.DB, q string, args ...any) {
	t.Helper()
	if db.Engine == store.Postgres {
		for i := 1; strings.Contains(q, "?"); i++ {
			q = strings.Replace(q, "?", fmt.Sprintf("$%d", i), 1)
		}
	}
	if _, err := db.WriteDB().ExecContext(context.Background(), q, args...); err != nil {
		t.Fatalf("exec %q: %v", q, err)
	}
}

// Strings runs a query of one text column, written with ? placeholders,
// directly on the database and returns its rows: for tests that read
// what the store wrote.
func Strings(t testing.TB, db *store.DB, q string, args ...any) []string {
	t.Helper()
	if db.Engine == store.Postgres {
		for i := 1; strings.Contains(q, "?"); i++ {
			q = strings.Replace(q, "?", fmt.Sprintf("$%d", i), 1)
		}
	}
	rows, err := db.WriteDB().QueryContext(context.Background(), q, args...)
	if err != nil {
		t.Fatalf("query %q: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// EmptyDSN returns a database with nothing in it, not even the schema: a
// path where no file is yet on SQLite, a new database on PostgreSQL
// (dropped when t ends). For commands that make their own database.
func EmptyDSN(t testing.TB) string {
	t.Helper()
	if Engine() == "sqlite" {
		return filepath.Join(t.TempDir(), "empty.db")
	}
	name := randName("zl_e_")
	a, err := admin()
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("creating empty database: %v", err)
	}
	t.Cleanup(func() {
		a, err := admin()
		if err != nil {
			return
		}
		defer a.Close()
		a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	return dbURL(name)
}
