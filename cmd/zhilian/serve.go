package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/zhilian/zhilian/internal/app"
	"github.com/zhilian/zhilian/internal/demo"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/sms"
	"github.com/zhilian/zhilian/internal/store"
)

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve")
	db := dbFlag(fs)
	db.create = true
	cfg := baseConfig(fs)
	fs.StringVar(&cfg.DBReplica, "db-replica", os.Getenv("ZHILIAN_DB_REPLICA"), "postgres:// URL of a streaming replica of --db: statistics, the cockpit and exports read from it (PostgreSQL only)")
	fs.DurationVar(&cfg.DBReplicaMaxLag, "db-replica-max-lag", envDuration("ZHILIAN_DB_REPLICA_MAX_LAG", store.DefaultReplicaMaxLag), "replay lag of --db-replica past which its reads go to the primary until it catches up")
	fs.StringVar(&cfg.Addr, "addr", getenv("ZHILIAN_ADDR", "127.0.0.1:8080"), "listen address host:port")
	fs.StringVar(&cfg.TLSCert, "tls-cert", os.Getenv("ZHILIAN_TLS_CERT"), "TLS certificate file (PEM); serves HTTPS with --tls-key")
	fs.StringVar(&cfg.TLSKey, "tls-key", os.Getenv("ZHILIAN_TLS_KEY"), "TLS private key file (PEM)")
	fs.DurationVar(&cfg.Jobs.VerifyAuditEvery, "verify-audit-every", envDuration("ZHILIAN_VERIFY_AUDIT_EVERY", 24*time.Hour), "how often a background job re-verifies the audit chain")
	fs.DurationVar(&cfg.Jobs.SweepSessionsEvery, "sweep-sessions-every", envDuration("ZHILIAN_SWEEP_SESSIONS_EVERY", time.Hour), "how often expired sessions are deleted")
	drawRuleFlags(fs, "visit-", &cfg.Jobs.DrawRule)
	focusRuleFlags(fs, "visit-", &cfg.Jobs.FocusRule)
	visitConfigFlags(fs, &cfg.Visits)
	fs.DurationVar(&cfg.Jobs.SupplementQuiet, "visit-supplement-after", envDuration("ZHILIAN_VISIT_SUPPLEMENT_AFTER", 7*24*time.Hour),
		"how long after a month's last draw its late-closed cases are drawn in a supplement (补充抽取)")
	quiet := smsFlags(fs, cfg)
	fs.IntVar(&cfg.Trips.ReportDays, "trip-report-days", envInt("ZHILIAN_TRIP_REPORT_DAYS", 3), "working days after return within which 附件1 is due")
	fs.IntVar(&cfg.Trips.EscalateDays, "trip-escalate-days", envInt("ZHILIAN_TRIP_ESCALATE_DAYS", 2), "working days after the due date before the department head is reminded too")
	cfg.Trips.Leadership = domain.Role(getenv("ZHILIAN_TRIP_LEADERSHIP", string(domain.RoleBureau)))
	fs.Func("trip-leadership", "role that gives a department head's own trip its requirement and reviews his reports: bureau (default), discipline_group or supervision_office", func(v string) error {
		cfg.Trips.Leadership = domain.Role(v)
		return nil
	})
	fs.IntVar(&cfg.Reports.Month, "report-due-monthly", envInt("ZHILIAN_REPORT_DUE_MONTHLY", 10), "day of the next month by which a court's monthly 四项机制运行情况报告 is due")
	fs.IntVar(&cfg.Reports.Quarter, "report-due-quarterly", envInt("ZHILIAN_REPORT_DUE_QUARTERLY", 15), "day of the month after the quarter by which the quarterly report is due")
	fs.IntVar(&cfg.Reports.Year, "report-due-yearly", envInt("ZHILIAN_REPORT_DUE_YEARLY", 31), "day of January by which the yearly report is due")
	fs.StringVar(&cfg.PublicURL, "public-url", os.Getenv("ZHILIAN_PUBLIC_URL"), "address parties reach, e.g. https://zhilian.court.example; visit SMS carry one-time links under it")
	fs.BoolVar(&cfg.TrustProxy, "trust-proxy", os.Getenv("ZHILIAN_TRUST_PROXY") == "1", "take client addresses from X-Forwarded-For when the request comes from a trusted proxy")
	fs.Func("proxy-networks", "comma-separated networks of the trusted reverse proxies, e.g. 10.0.0.0/24 (default 127.0.0.0/8,::1; or ZHILIAN_PROXY_NETWORKS)", func(v string) error {
		var err error
		cfg.TrustedProxies, err = parsePrefixes(v)
		return err
	})
	if v := os.Getenv("ZHILIAN_PROXY_NETWORKS"); v != "" {
		var err error
		if cfg.TrustedProxies, err = parsePrefixes(v); err != nil {
			return fmt.Errorf("ZHILIAN_PROXY_NETWORKS: %w", err)
		}
	}
	fs.StringVar(&cfg.UploadDir, "upload-dir", os.Getenv("ZHILIAN_UPLOAD_DIR"), "where uploaded case files wait until their import job has run (default: uploads/ beside a SQLite database); keep it across restarts")
	fs.DurationVar(&cfg.ShutdownGrace, "shutdown-grace", envDuration("ZHILIAN_SHUTDOWN_GRACE", app.ShutdownGrace), "how long requests, jobs and case imports get to finish after SIGTERM; an import cut then resumes at the next start")
	fs.StringVar(&cfg.MetricsAddr, "metrics-addr", os.Getenv("ZHILIAN_METRICS_ADDR"), "serve /metrics alone on this host:port (without authentication; keep it internal)")
	cfg.MetricsToken = os.Getenv("ZHILIAN_METRICS_TOKEN") // from the environment only: a bearer token for /metrics on the main address
	checkOversight := oversightFlags(fs, cfg)
	integrityFlags(fs, cfg)
	fs.DurationVar(&cfg.PasswordMaxAge, "password-max-age", envDuration("ZHILIAN_PASSWORD_MAX_AGE", 0), "privileged accounts must change a password older than this, e.g. 2160h (90 days); 0 is off")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db.config(cfg)
	if err := cfg.Jobs.DrawRule.Validate(); err != nil {
		return err
	}
	if err := cfg.Jobs.FocusRule.Validate(); err != nil {
		return err
	}
	if cfg.Jobs.SupplementQuiet <= 0 {
		return errors.New("--visit-supplement-after must be positive")
	}
	if err := checkOversight(); err != nil {
		return err
	}
	var err error
	if cfg.Sender.QuietFrom, cfg.Sender.QuietTo, err = sms.ParseQuiet(*quiet); err != nil {
		return err
	}
	a, err := app.Open(ctx, *cfg, e.log)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.Listen(); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "zhilian serving on "+a.URL())
	return a.Run(ctx)
}

func cmdDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "demo")
	addr := fs.String("addr", "127.0.0.1:8080", "listen address host:port")
	data := fs.String("data", "zhilian-demo", "directory of the demo database (DIR/zhilian.db); reused on the next run")
	password := fs.String("password", demo.DefaultPassword, "password of every demo account")
	publicURL := fs.String("public-url", "", "address the party's one-time link in a visit SMS points to (default: the address the demo prints)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	listen, public, err := demoAddress(*addr, *publicURL)
	if err != nil {
		return err
	}
	// The demo's parties answer through the simulator.
	// The demo's privileged accounts need no second factor; it says so
	// below and on every page.
	cfg := app.Config{DB: filepath.Join(*data, "zhilian.db"), Addr: listen, PublicURL: public, CaseTypes: domain.DefaultCaseTypes, SMS: "simulator", Demo: true}
	// The demo shows the whole path at any hour: no quiet hours.
	cfg.Sender.QuietFrom, cfg.Sender.QuietTo = -1, -1
	a, err := app.Open(ctx, cfg, e.log)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := demo.Seed(ctx, a.DB, e.log, *password); err != nil {
		return err
	}
	if err := demo.SeedCases(ctx, a.DB, e.log); err != nil {
		return err
	}
	if err := demo.SeedVisits(ctx, a.DB, e.log, a.Config.Visits); err != nil {
		return err
	}
	if err := demo.SeedTrips(ctx, a.DB, e.log, a.Config.Trips); err != nil {
		return err
	}
	if err := demo.SeedComplaints(ctx, a.DB, e.log); err != nil {
		return err
	}
	if err := demo.SeedRectifications(ctx, a.DB, e.log); err != nil {
		return err
	}
	if err := demo.SeedClues(ctx, a.DB, e.log); err != nil {
		return err
	}
	if err := demo.SeedPatrol(ctx, a.DB, e.log); err != nil {
		return err
	}
	if err := demo.SeedTracking(ctx, a.DB, e.log); err != nil {
		return err
	}
	if err := demo.SeedTrackingWork(ctx, a.DB, e.log); err != nil {
		return err
	}
	if err := demo.SeedInspections(ctx, a.DB, e.log); err != nil {
		return err
	}
	if err := demo.SeedOverview(ctx, a.DB, e.log); err != nil {
		return err
	}
	if err := demo.SeedIntegrity(ctx, a.DB, e.log); err != nil {
		return err
	}
	if err := demo.SeedRunReports(ctx, a.DB, e.log, a.Config.Reports); err != nil {
		return err
	}
	accounts, err := demo.Accounts(ctx, a.DB)
	if err != nil {
		return err
	}
	if err := a.Listen(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\n执廉 演示系统已启动：%s\n数据库：%s\n所有演示账户的密码：%s\n回访短信中当事人的一次性链接指向：%s\n\n", a.URL(), cfg.DB, *password, cfg.PublicURL)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "角色\t用户名\t姓名\t法院")
	for _, acc := range accounts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", acc.Role.Label(), acc.Username, acc.Name, acc.Court)
	}
	tw.Flush()
	fmt.Fprintf(e.stdout, "\n注意：%s\n", app.DemoBanner)
	fmt.Fprintf(e.stdout, "\n其他法院的账户同理：用户名为 lu+法院代码数字+.角色，如 lu0211.officer1（青岛市黄岛区人民法院）。按 Ctrl+C 退出。\n\n")
	return a.Run(ctx)
}

func cmdMigrate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "migrate")
	db := dbFlag(fs)
	db.create = true
	cfg := baseConfig(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	d, err := openDB(ctx, e, db, cfg.AuditAlg)
	if err != nil {
		return err
	}
	defer d.Close()
	v, err := d.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	n, err := d.CourtCount(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "database %s is at schema version %d with %d courts\n", d.Engine, v, n)
	return nil
}

// parsePrefixes reads networks (10.0.0.0/24) or single addresses.
func parsePrefixes(v string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range splitList(v) {
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("%q is neither a network nor an address", f)
		}
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

func envDuration(key string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(key)); err == nil && d > 0 {
		return d
	}
	return def
}

// smsFlags declares the SMS provider's and sender's flags; it returns the
// quiet-hours flag, which is parsed after the others.
func smsFlags(fs *flag.FlagSet, cfg *app.Config) *string {
	fs.StringVar(&cfg.SMS, "sms", getenv("ZHILIAN_SMS", "log"), "SMS provider: log (writes messages to the log, sends nothing), smpp, http, tencent or simulator")
	fs.StringVar(&cfg.SMPP.Addr, "smpp-addr", os.Getenv("ZHILIAN_SMPP_ADDR"), "SMSC host:port for --sms smpp")
	fs.StringVar(&cfg.SMPP.SystemID, "smpp-user", os.Getenv("ZHILIAN_SMPP_USER"), "SMPP system_id")
	cfg.SMPP.Password = os.Getenv("ZHILIAN_SMPP_PASSWORD") // from the environment only, never a flag
	fs.StringVar(&cfg.SMPP.SystemType, "smpp-system-type", os.Getenv("ZHILIAN_SMPP_SYSTEM_TYPE"), "SMPP system_type, if the SMSC wants one")
	fs.StringVar(&cfg.SMPP.Source, "smpp-source", getenv("ZHILIAN_SMPP_SOURCE", "12368"), "sender address of the messages")
	fs.BoolVar(&cfg.SMPP.TLS, "smpp-tls", os.Getenv("ZHILIAN_SMPP_TLS") == "1", "bind to the SMSC over TLS")
	fs.IntVar(&cfg.SMPP.TPS, "sms-tps", envInt("ZHILIAN_SMS_TPS", 50), "messages (SMPP: PDUs) per second at most; 0 for no cap")
	fs.DurationVar(&cfg.SMPP.EnquireLink, "smpp-enquire-link", envDuration("ZHILIAN_SMPP_ENQUIRE_LINK", 30*time.Second), "SMPP keep-alive interval")
	fs.IntVar(&cfg.SMPP.Window, "sms-window", envInt("ZHILIAN_SMS_WINDOW", 10), "messages in flight at once")
	fs.StringVar(&cfg.HTTP.URL, "sms-http-url", os.Getenv("ZHILIAN_SMS_HTTP_URL"), "gateway URL messages are POSTed to, for --sms http")
	fs.StringVar(&cfg.HTTP.StatusURL, "sms-http-status-url", os.Getenv("ZHILIAN_SMS_HTTP_STATUS_URL"), "gateway URL asked about a message by key (default: URL/status)")
	cfg.HTTP.Secret = os.Getenv("ZHILIAN_SMS_HTTP_SECRET") // from the environment only
	// Tencent Cloud SMS: the API key and the callbacks' token from the
	// environment only, never flags or the database.
	cfg.Tencent.SecretID, cfg.Tencent.SecretKey = os.Getenv("ZHILIAN_SMS_TENCENT_SECRET_ID"), os.Getenv("ZHILIAN_SMS_TENCENT_SECRET_KEY")
	cfg.Tencent.CallbackToken = os.Getenv("ZHILIAN_SMS_TENCENT_CALLBACK_TOKEN")
	fs.StringVar(&cfg.Tencent.SdkAppID, "sms-tencent-app", os.Getenv("ZHILIAN_SMS_TENCENT_APP"), "Tencent Cloud SMS SdkAppId (1400…) for --sms tencent")
	fs.StringVar(&cfg.Tencent.Region, "sms-tencent-region", getenv("ZHILIAN_SMS_TENCENT_REGION", "ap-guangzhou"), "Tencent Cloud API region")
	fs.StringVar(&cfg.Tencent.Endpoint, "sms-tencent-endpoint", getenv("ZHILIAN_SMS_TENCENT_ENDPOINT", "sms.tencentcloudapi.com"), "Tencent Cloud SMS API address: host[:port] (HTTPS) or http(s)://host[:port]")
	fs.Func("sms-tencent-callback-from", "comma-separated networks Tencent's status and reply callbacks may come from (default any, the token decides; or ZHILIAN_SMS_TENCENT_CALLBACK_FROM)", func(v string) error {
		cfg.Tencent.CallbackFrom = splitList(v)
		return nil
	})
	if v := os.Getenv("ZHILIAN_SMS_TENCENT_CALLBACK_FROM"); v != "" {
		cfg.Tencent.CallbackFrom = splitList(v)
	}
	quiet := fs.String("sms-quiet", getenv("ZHILIAN_SMS_QUIET", "21:00-08:00"), "hours without SMS, Beijing time, HH:MM-HH:MM or off")
	fs.IntVar(&cfg.Sender.DailyCap, "sms-daily-cap", envInt("ZHILIAN_SMS_DAILY_CAP", 5), "messages one number gets a day at most")
	fs.DurationVar(&cfg.Sender.LeaseTTL, "sms-lease", envDuration("ZHILIAN_SMS_LEASE", 30*time.Second), "how long another process waits to take over sending from one that stopped renewing")
	fs.IntVar(&cfg.Sender.MaxAttempts, "sms-max-attempts", envInt("ZHILIAN_SMS_MAX_ATTEMPTS", 8), "attempts before a temporarily failing message is given up (the visit goes to the phone)")
	return quiet
}

func envInt(key string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(key)); err == nil {
		return v
	}
	return def
}
