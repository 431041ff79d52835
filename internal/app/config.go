package app

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/audit"
	"github.com/zhilian/zhilian/internal/auth"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/integrity"
	"github.com/zhilian/zhilian/internal/jobs"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/report"
	"github.com/zhilian/zhilian/internal/sms"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/trip"
	"github.com/zhilian/zhilian/internal/visit"
)

// Config is everything the program can be told.
type Config struct {
	// DB is a SQLite file path or a postgres:// URL.
	DB string
	// DBReplica, with a PostgreSQL DB, is a streaming replica of it
	// (postgres:// URL) from which statistics, the cockpit, exports and
	// some lists are read (store.ReplicaReads) while it lags less than
	// DBReplicaMaxLag (store.DefaultReplicaMaxLag if zero).
	DBReplica       string
	DBReplicaMaxLag time.Duration
	// Addr is where to listen, host:port; port 0 picks a free one.
	Addr string
	// TLSCert and TLSKey, both set, serve HTTPS.
	TLSCert, TLSKey string
	// AuditAlg is the hash of new audit records: sha256 or sm3.
	AuditAlg string
	// TrustProxy takes client addresses from X-Forwarded-For.
	TrustProxy bool
	// Key (hex or base64 of 32 bytes) or KeyFile holds the master key that
	// encrypts personal information. On SQLite without either, DB.key
	// beside the database is used, and made on first use.
	Key, KeyFile string
	// CaseTypes are the case type codes case numbers may carry.
	CaseTypes []string
	// SMS names the provider: "log" (default), "smpp", "http", "tencent"
	// or "simulator" (the demo's parties who answer).
	SMS string
	// SMPP and HTTP configure those providers; Sender the rules of
	// sending (quiet hours, daily cap, window, retries).
	SMPP   sms.SMPPConfig
	HTTP   sms.HTTPConfig
	Sender sms.SenderConfig
	// Tencent configures Tencent Cloud SMS (--sms tencent); its secrets
	// come from the environment only.
	Tencent sms.TencentConfig
	// PublicURL is the address parties reach from their phones
	// (https://host); visit messages carry one-time links under it.
	PublicURL string
	// Visits holds the return-visit deadlines; DefaultConfig if zero.
	// Validate sets its PublicURL to PublicURL.
	Visits visit.Config
	// Trips are the trip reports' deadlines in working days; the defaults
	// (3, then 2 more) if zero.
	Trips trip.Rules
	// RulesFile, if set, replaces the default time-limit rules with a CSV
	// table (code,name,amount,unit,from,basis).
	RulesFile string
	// PatrolRulesFile, if set, changes the 网上巡查 rule table from a CSV
	// file (code,title,parameters,basis,enabled); see app.PatrolRules.
	PatrolRulesFile string
	// OverviewTargetsFile, if set, changes the cockpit's targets and
	// bands from a CSV file (key,target,amber); see app.OverviewTargets.
	OverviewTargetsFile string
	// TrackingFactorsFile, if set, replaces mechanism 1's evaluation
	// factors with a CSV table (key,label,weight); TrackingEvaluateWithin
	// is how long the bureau has to evaluate a candidate (7 days if zero).
	TrackingFactorsFile    string
	TrackingEvaluateWithin time.Duration
	// InspectionAnswerWithin is how long an officer has, by default, to
	// answer a finding of special inspections; the campaign form suggests
	// it in whole days (7 if zero).
	InspectionAnswerWithin time.Duration
	Jobs                   jobs.Config
	Policy                 auth.Policy
	Params                 auth.Params
	// Demo marks the demo: its accounts need no second factor, which its
	// start-up lines and a banner on every page say.
	Demo bool
	// PasswordMaxAge, if set, makes holders of privileged roles change an
	// older password.
	PasswordMaxAge time.Duration
	// MetricsToken lets a scraper read /metrics on the main address with
	// a bearer token; MetricsAddr serves /metrics alone on an address of
	// its own, without one.
	MetricsToken, MetricsAddr string
	// TrustedProxies are the networks of the reverse proxies whose
	// X-Forwarded-For is believed (with TrustProxy).
	TrustedProxies []netip.Prefix
	// UploadDir keeps case files while they are imported: by default
	// uploads/ beside a SQLite database, or zhilian-uploads in the
	// system's temporary directory.
	UploadDir string
	// ShutdownGrace is how long requests, jobs and case imports get to
	// finish after SIGTERM before they are cut (default ShutdownGrace).
	ShutdownGrace time.Duration
	// Strong marks a case 当事人反映强烈 by its petitions;
	// oversight.DefaultStrongRule if zero.
	Strong oversight.StrongRule
	// MeasuresFile, if set, replaces the measures of the four forms with
	// a CSV table (形态,措施), read into Measures by Validate.
	MeasuresFile string
	Measures     oversight.Measures
	// WarningRulesFile, if set, changes the early-warning rules of the
	// integrity records with a JSON file (integrity.ParseRules), read
	// into IntegrityRules by Validate; integrity.DefaultRules if nil.
	WarningRulesFile string
	IntegrityRules   integrity.Rules
	// Reports are the periodic reports' due dates (issue 18), the day of
	// the month after the period; report.DefaultDueRules if zero. A flag of
	// the installation, not a court's setting: the province sets them for
	// every court, and a court must not move the date it is checked by.
	Reports report.DueRules
}

// DemoBanner is what every page of the demo says.
const DemoBanner = "演示系统：特权账户（系统管理员、安全管理员、安全审计员、纪检监察组、监察室）无需动态口令即可登录，仅供演示，请勿录入真实数据。"

// Validate fills in defaults and checks the values.
func (c *Config) Validate() error {
	if c.DB == "" {
		return errors.New("no database: give --db FILE or --db postgres://… (or set ZHILIAN_DB)")
	}
	if c.DBReplica != "" && !store.IsPostgres(c.DB) {
		return errors.New("--db-replica needs a PostgreSQL database: give --db postgres://… (a SQLite file has no replicas)")
	}
	if c.DBReplica != "" && !store.IsPostgres(c.DBReplica) {
		return fmt.Errorf("--db-replica %q: want the postgres:// URL of a streaming replica of --db", c.DBReplica)
	}
	if c.DBReplicaMaxLag < 0 {
		return errors.New("--db-replica-max-lag must not be negative")
	}
	if d := c.InspectionAnswerWithin; d != 0 && (d < 24*time.Hour || d > 60*24*time.Hour) {
		return fmt.Errorf("--inspection-answer-within %s: want 1 to 60 days (24h to 1440h)", d)
	}
	if c.Addr == "" {
		c.Addr = "127.0.0.1:8080"
	}
	if c.AuditAlg == "" {
		c.AuditAlg = audit.SHA256
	}
	if !audit.ValidAlg(c.AuditAlg) {
		return fmt.Errorf("audit hash %q: want sha256 or sm3", c.AuditAlg)
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return errors.New("give both --tls-cert and --tls-key, or neither")
	}
	if c.Policy == (auth.Policy{}) {
		c.Policy = auth.DefaultPolicy
	}
	c.Policy.NoSecondFactor = c.Demo
	if c.PasswordMaxAge < 0 {
		return errors.New("--password-max-age must not be negative")
	}
	c.Policy.PasswordMaxAge = c.PasswordMaxAge
	if c.UploadDir == "" {
		if store.IsPostgres(c.DB) {
			// One directory per database, so that two installations on a
			// host never sweep each other's uploads. The README asks for
			// --upload-dir on a disk that survives a reboot.
			sum := sha256.Sum256([]byte(c.DB))
			c.UploadDir = filepath.Join(os.TempDir(), "zhilian-uploads-"+hex.EncodeToString(sum[:6]))
		} else {
			c.UploadDir = filepath.Join(filepath.Dir(strings.TrimPrefix(c.DB, "file:")), "uploads")
		}
	}
	// Absolute and clean: the path an upload is stored under is the path
	// the start-up sweep compares.
	dir, err := filepath.Abs(c.UploadDir)
	if err != nil {
		return fmt.Errorf("--upload-dir: %w", err)
	}
	c.UploadDir = dir
	if c.ShutdownGrace < 0 {
		return errors.New("--shutdown-grace must not be negative")
	}
	if c.ShutdownGrace == 0 {
		c.ShutdownGrace = ShutdownGrace
	}
	if c.TrustProxy && len(c.TrustedProxies) == 0 {
		// By default the proxy runs on this host.
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	}
	if c.Params == (auth.Params{}) {
		c.Params = auth.DefaultParams
	}
	if len(c.CaseTypes) == 0 {
		c.CaseTypes = domain.DefaultCaseTypes
	}
	if c.Jobs.DrawRule.IsZero() {
		c.Jobs.DrawRule = visit.DefaultDrawRule()
	}
	if c.Visits == (visit.Config{}) {
		c.Visits = visit.DefaultConfig()
	}
	if err := c.Visits.Validate(); err != nil {
		return err
	}
	c.Visits.PublicURL = c.PublicURL
	switch c.SMS {
	case "", "log", "simulator":
	case "smpp":
		if c.SMPP.Addr == "" || c.SMPP.SystemID == "" {
			return errors.New("--sms smpp: give --smpp-addr and --smpp-user (and ZHILIAN_SMPP_PASSWORD)")
		}
	case "http":
		if c.HTTP.URL == "" || c.HTTP.Secret == "" {
			return errors.New("--sms http: give --sms-http-url and ZHILIAN_SMS_HTTP_SECRET")
		}
	case "tencent":
		if c.Tencent.SdkAppID == "" || c.Tencent.SecretID == "" || c.Tencent.SecretKey == "" || c.Tencent.CallbackToken == "" {
			return errors.New("--sms tencent: give --sms-tencent-app and ZHILIAN_SMS_TENCENT_SECRET_ID, ZHILIAN_SMS_TENCENT_SECRET_KEY, ZHILIAN_SMS_TENCENT_CALLBACK_TOKEN")
		}
	default:
		return fmt.Errorf("unknown SMS provider %q (log, smpp, http, tencent, simulator)", c.SMS)
	}
	if c.Trips == (trip.Rules{}) {
		c.Trips = trip.DefaultRules()
	}
	if err := c.oversightRules(); err != nil {
		return err
	}
	if err := c.integrityRules(); err != nil {
		return err
	}
	if err := c.Trips.Validate(); err != nil {
		return err
	}
	if c.Reports == (report.DueRules{}) {
		c.Reports = report.DefaultDueRules()
	}
	if err := c.Reports.Validate(); err != nil {
		return err
	}
	c.Jobs.Visits = c.Visits
	// One TPS cap and one window, whichever provider sends.
	if c.HTTP.TPS == 0 {
		c.HTTP.TPS = c.SMPP.TPS
	}
	if c.Tencent.TPS == 0 {
		c.Tencent.TPS = c.SMPP.TPS
	}
	if c.Sender.Window == 0 {
		c.Sender.Window = c.SMPP.Window
	}
	return nil
}
