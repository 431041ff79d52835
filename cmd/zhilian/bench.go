package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/bench"
)

// cmdBench builds a synthetic province on a fresh database and measures
// the import, the jobs and the busiest pages beside the raw engine.
func cmdBench(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "bench")
	dsn := fs.String("db", "", "a new SQLite file path or an empty postgres:// database (required; the bench refuses one with data)")
	keyFile := fs.String("key-file", os.Getenv("ZHILIAN_KEY_FILE"), "master key file (default on SQLite: DB.key; on PostgreSQL a random key for the run)")
	cases := fs.Int("cases", 1_000_000, "synthetic cases in the province")
	conns := fs.Int("conns", 32, "concurrent connections per page")
	dur := fs.Duration("duration", 25*time.Second, "how long each page is loaded")
	asJSON := fs.Bool("json", false, "print one JSON object instead of the table")
	profiles := fs.String("cpuprofile", "", "a directory to write a CPU profile of each page's load (NAME.pprof) and of its SQL's replay (NAME.raw.pprof), and its SQL (NAME.sql), into")
	only := fs.String("pages", "", "load only these pages, comma-separated ("+strings.Join(bench.PageNames, ", ")+")")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dsn == "" || fs.NArg() > 0 || *cases < 100 || *conns < 1 || *dur <= 0 {
		return &exitError{2, errors.New("usage: zhilian bench --db NEW.db|postgres://… [--cases N ≥ 100] [--conns C] [--duration D] [--json] [--cpuprofile DIR] [--pages NAME,…]")}
	}
	var pages []string
	if *only != "" {
		pages = strings.Split(*only, ",")
	}
	if *profiles != "" {
		// Made before the province is built, so that a wrong path fails
		// at once rather than after minutes of import.
		if err := os.MkdirAll(*profiles, 0o750); err != nil {
			return fmt.Errorf("--cpuprofile: %w", err)
		}
	}
	rep, err := bench.Run(ctx, bench.Config{DB: *dsn, KeyFile: *keyFile, Key: os.Getenv("ZHILIAN_KEY"), Cases: *cases, Conns: *conns, Duration: *dur, Log: e.log, Profiles: *profiles, Pages: pages})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return rep.WriteTable(e.stdout)
}
