// Package web serves zhilian's pages: server-rendered html/template in
// Simplified Chinese, every asset embedded, sessions on the server, and
// cross-origin form posts refused.
package web

import (
	"context"
	"crypto/subtle"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"time"

	"github.com/zhilian/zhilian/internal/auth"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/jobs"
	"github.com/zhilian/zhilian/internal/metrics"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/report"
	"github.com/zhilian/zhilian/internal/sms"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/trip"
	"github.com/zhilian/zhilian/internal/visit"
)

// Server holds what the pages need.
type Server struct {
	DB      *store.DB
	Auth    *auth.Service
	Log     *slog.Logger
	Metrics *metrics.Registry
	// AuditStatus is the last periodic audit check, if a queue runs.
	AuditStatus *jobs.Status
	// TLS marks cookies Secure and sends HSTS.
	TLS bool
	// TrustProxy takes the client address from X-Forwarded-For when the
	// request comes from one of TrustedProxies: the right-most address of
	// the header that is not a trusted proxy itself.
	TrustProxy     bool
	TrustedProxies []netip.Prefix
	// API serves /api/v1/; nil for none.
	API http.Handler
	// CaseTypes are the case type codes that case numbers may carry.
	CaseTypes []string
	// VisitConfig holds the return-visit deadlines.
	VisitConfig visit.Config
	// DrawRule is the monthly draw's rate and rounding.
	DrawRule visit.DrawRule
	// TripRules are the trip reports' deadlines in working days.
	TripRules trip.Rules
	// InspectionAnswerWithin is the time an officer has to answer a
	// finding of special inspections that the campaign form suggests
	// (whole days; 7 if zero).
	InspectionAnswerWithin time.Duration
	// SMSHealth reports the SMS provider's state; nil if none runs.
	SMSHealth func() sms.Health
	// SMSInbound takes the HTTP gateway's replies and receipts at
	// /sms/inbound; nil unless the http provider is in use.
	SMSInbound http.Handler
	// SMSTencentStatus and SMSTencentReply take Tencent Cloud's delivery
	// receipts and replies; nil unless the tencent provider is in use.
	SMSTencentStatus, SMSTencentReply http.Handler
	// Imports starts case imports on the job queue.
	Imports Importer
	// OverviewTargets are the cockpit's targets and bands; the defaults
	// if nil.
	OverviewTargets overview.Targets
	// RunReportDue are the periodic reports' due dates (issue 18);
	// report.DefaultDueRules if zero. RunReportTargets are the targets
	// their figures are read against; overview.DefaultTargets if nil.
	RunReportDue     report.DueRules
	RunReportTargets overview.Targets

	// MetricsToken, if set, lets a scraper read /metrics with
	// "Authorization: Bearer <token>"; without it /metrics is not served
	// here (serve it on its own address with MetricsHandler).
	MetricsToken string
	// UploadDir keeps uploaded case files while they are imported.
	UploadDir string
	// Banner, if set, is shown at the top of every page (the demo says
	// that its accounts need no second factor).
	Banner string
	// Demo marks the demo's server: a batch it drew above the document's
	// 5 % is labelled 演示用扩大抽样.
	Demo bool

	tmpl map[string]*template.Template
	// pages is the router, through which a failed post shows its form
	// again (refill).
	pages  http.Handler
	assets *assets
	// shell is the head and top bar of the pages written in Go whole
	// (layout_html.go).
	shell        shell
	linkLimiter  *limiter
	loginLimiter *limiter
	// storageFullAt is when a change last failed on a full disk (Unix
	// nanoseconds), which /healthz reports for a while.
	storageFullAt atomic.Int64
}

// New prepares the templates and assets.
func New(s *Server) (*Server, error) {
	a, err := loadAssets()
	if err != nil {
		return nil, err
	}
	t, err := parseTemplates(a)
	if err != nil {
		return nil, err
	}
	s.assets, s.tmpl = a, t
	if s.shell.head, err = headHTML(a); err != nil {
		return nil, err
	}
	mark, err := a.url("favicon.svg")
	if err != nil {
		return nil, err
	}
	s.shell.topbar, s.shell.assets = topbarHTML(mark), a
	s.linkLimiter = newLimiter(20, 10)
	// Failed sign-in attempts (passwords and codes) per client address,
	// whatever names are tried: 20 at once, then 10 a minute. Only
	// failures count, so that a court whose staff all sign in from one
	// address at nine o'clock is not held up.
	s.loginLimiter = newLimiter(10, 20)
	return s, nil
}

// route is one pattern of the router and its handler.
type route struct {
	pattern string
	handler http.Handler
}

// routes is every route of the server. Each one is in TestRouteMatrix,
// which fails for a route without an entry there. The pages wrapped in
// fromReplica read from the read replica when there is one (replica.go).
func (s *Server) routes() []route {
	var rs []route
	add := func(pattern string, h http.Handler) { rs = append(rs, route{pattern, h}) }
	add("GET /healthz", http.HandlerFunc(s.healthz))
	add("GET /metrics", http.HandlerFunc(s.metricsWithToken))
	add("GET /static/{file}", http.HandlerFunc(s.assets.serve))
	add("GET /favicon.ico", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, _ := s.assets.url("favicon.svg")
		http.Redirect(w, r, u, http.StatusMovedPermanently)
	}))

	add("GET /login", http.HandlerFunc(s.loginForm))
	add("POST /login", http.HandlerFunc(s.login))
	add("GET /login/2fa", s.session(secondFactor, s.secondFactorForm))
	add("POST /login/2fa", s.session(secondFactor, s.secondFactorPass))
	add("POST /logout", s.session(anySession, s.logout))
	add("GET /{$}", s.user(s.home))
	add("GET /account/password", s.session(changingPassword, s.passwordForm))
	add("POST /account/password", s.session(changingPassword, s.changePassword))
	add("GET /account/2fa", s.user(s.account2FA))
	add("POST /account/2fa/{act}", s.user(s.account2FAAct))
	add("GET /account/tokens", s.user(s.ownTokens))
	add("POST /account/tokens", s.user(s.issueOwnToken))
	add("POST /account/tokens/{id}/revoke", s.user(s.revokeOwnToken))

	add("GET /admin/users", s.accounts(s.userList))
	add("GET /admin/users/new", s.admin(s.userNew))
	add("POST /admin/users", s.admin(s.userCreate))
	add("GET /admin/users/{id}", s.accounts(s.userEdit))
	add("POST /admin/users/{id}", s.accounts(s.userUpdate))
	add("POST /admin/users/{id}/disable", s.accounts(s.userDisable))
	add("POST /admin/users/{id}/enable", s.accounts(s.userEnable))
	add("POST /admin/users/{id}/unlock", s.accounts(s.userUnlock))
	add("POST /admin/users/{id}/password", s.accounts(s.userResetPassword))
	add("POST /admin/users/{id}/2fa/reset", s.security(s.userResetSecondFactor))
	add("POST /admin/users/{id}/roles", s.security(s.userGrantRole))
	add("POST /admin/users/{id}/roles/{role}/revoke", s.security(s.userRevokeRole))
	add("POST /admin/users/{id}/requests", s.security(s.userRequestReset))
	add("GET /admin/grants", s.security(s.grantList))
	add("POST /admin/grants/{id}/{act}", s.security(s.grantDecide))
	add("POST /admin/requests/{id}/{act}", s.security(s.requestDecide))
	add("GET /admin/tokens", s.accounts(s.tokenList))
	add("POST /admin/tokens/{id}/revoke", s.accounts(s.tokenRevoke))

	add("GET /admin/courts", s.admin(s.courtList))
	add("POST /admin/courts/import", s.admin(s.courtImport))
	add("GET /admin/courts/{code}", s.admin(s.courtEdit))
	add("POST /admin/courts/{code}", s.admin(s.courtUpdate))
	add("POST /admin/courts/{code}/departments", s.admin(s.departmentAdd))
	add("POST /admin/courts/{code}/posts", s.admin(s.courtPostsSave))
	add("GET /admin/unmatched-officers", s.admin(s.unmatchedOfficers))
	add("POST /admin/unmatched-officers", s.admin(s.mapOfficer))
	add("POST /admin/unmatched-officers/remove", s.admin(s.unmapOfficer))
	add("GET /court-posts", s.user(s.courtPosts))

	add("GET /audit", s.user(s.auditList))

	add("GET /visits", s.user(s.visitList))
	add("GET /visits/{id}", s.user(s.visitShow))
	add("POST /visits/{id}/events", s.user(s.visitAct))
	add("POST /visits/{id}/phone", s.user(s.visitRevealPhone))
	add("GET /visits/{id}/print", s.user(s.visitPrint))
	add("GET /forms/annex3", s.user(s.blankAnnex3))
	add("GET /v/{token}", s.linkPage(s.linkShow))
	add("POST /v/{token}", s.linkPage(s.linkAnswer))
	add("GET /trips", s.user(s.tripList))
	add("GET /trips/new", s.user(s.tripNew))
	add("GET /divisions.json", s.user(s.divisions))
	add("GET /trips/mapping", s.user(s.tripMapping))
	add("GET /trips/accountability", s.user(fromReplica(s.tripAccountability)))
	add("GET /trips/accountability.xlsx", s.user(fromReplica(s.tripAccountabilityXLSX)))
	add("POST /trips", s.user(s.tripCreate))
	add("GET /trips/{id}", s.user(s.tripShow))
	add("POST /trips/{id}/requirement", s.user(s.tripRequirement))
	add("POST /trips/{id}/report", s.user(s.tripReport))
	add("POST /trips/{id}/cancel", s.user(s.tripCancel))
	add("GET /trips/{id}/print", s.user(s.tripPrint))
	add("GET /trip-reviews", s.user(s.tripReviews))
	add("GET /trip-reviews/{id}", s.user(s.tripReviewShow))
	add("POST /trip-reviews/{id}/{act}", s.user(s.tripReviewAct))
	add("GET /annex2/{id}", s.user(s.annex2Form))
	add("POST /annex2/{id}", s.user(s.annex2File))
	add("GET /annex2/{id}/print", s.user(s.annex2Print))
	add("GET /forms/{n}", s.user(s.blankAnnex))
	add("GET /sms", s.user(s.smsPage))
	add("POST /sms/{id}/decide", s.user(s.smsDecide))
	add("POST /sms/replies/{id}/handled", s.user(s.smsReplyHandled))
	add("GET /admin/sms", s.admin(s.smsAdmin))
	add("POST /admin/sms/test", s.admin(s.smsTest))
	add("GET /admin/notices", s.admin(s.noticeSettings))
	add("POST /admin/notices", s.admin(s.noticeSettingsSave))
	add("GET /messages", s.user(s.messageList))
	add("GET /help", s.user(s.helpIndex))
	add("GET /help/{topic}", s.user(s.helpTopicPage))
	add("POST /messages/read-all", s.user(s.messageReadAll))
	add("POST /messages/{id}/read", s.user(s.messageRead))
	if s.SMSInbound != nil {
		add("POST /sms/inbound", s.SMSInbound)
	}
	if s.SMSTencentStatus != nil {
		add("POST /sms/tencent/status", s.SMSTencentStatus)
		add("POST /sms/tencent/reply", s.SMSTencentReply)
	}
	add("GET /admin/sms/templates", s.admin(s.smsTemplates))
	add("GET /admin/sms/templates/{name}", s.admin(s.smsTemplateEdit))
	add("POST /admin/sms/templates/{name}", s.admin(s.smsTemplateSave))
	add("POST /admin/sms/signature", s.admin(s.smsSignatureSave))
	add("GET /visit-stats", s.user(fromReplica(s.visitStats)))
	add("GET /visit-stats.xlsx", s.user(fromReplica(s.visitStatsXLSX)))
	add("GET /visit-batches", s.user(s.visitBatches))
	add("POST /visit-batches", s.user(s.visitDraw))
	add("GET /visit-batches/{id}", s.user(s.visitBatch))
	add("POST /cases/{id}/focus", s.user(s.visitFocus))
	add("POST /cases/{id}/supervise", s.user(s.caseSupervise))
	add("POST /cases/{id}/flags", s.user(s.caseFlags))
	add("GET /cases", s.user(s.caseList))
	add("GET /search", s.user(s.search))
	add("GET /cases/import", s.user(s.caseImportForm))
	add("POST /cases/import", s.user(s.caseImportStart))
	add("POST /cases/import/acts", s.user(s.actsImport))
	add("GET /cases/import/{id}", s.user(s.caseImportShow))
	add("GET /cases/import/{id}/report", s.user(s.caseImportReport))
	add("GET /cases/{id}", s.user(s.caseShow))
	add("POST /cases/{id}/parties/{party}/phone", s.user(s.caseRevealPhone))
	add("POST /cases/{id}/pauses", s.user(s.caseAddPause))
	add("POST /cases/{id}/extensions", s.user(s.caseAddExtension))

	add("GET /patrol", s.user(s.patrolList))
	add("POST /patrol/findings/{id}/{act}", s.user(s.patrolDecide))

	add("GET /complaints", s.user(s.complaintList))
	add("GET /complaints/new", s.user(s.complaintNew))
	add("POST /complaints", s.user(s.complaintCreate))
	add("POST /complaints/import", s.user(s.complaintImport))
	add("GET /complaints/{id}", s.user(s.complaintShow))
	add("POST /complaints/{id}/assess", s.user(s.complaintAssess))
	add("GET /tracking", s.user(s.trackingList))
	add("POST /tracking/refresh", s.user(s.trackingRefresh))
	add("POST /tracking/candidates", s.user(s.trackingAddReason))
	add("GET /tracking/{id}", s.user(s.trackingShow))
	add("GET /tracking/{id}/minutes", s.user(s.trackingMinutes))
	add("POST /tracking/{id}/{act}", s.user(s.trackingAct))
	add("GET /tracking/{id}/work", s.user(s.trackWorkShow))
	add("POST /tracking/{id}/work/{act}", s.user(s.trackWorkAct))
	add("GET /tracking/{id}/report", s.user(s.trackWorkReport))
	add("GET /tracking/stats", s.user(fromReplica(s.trackStats)))
	add("GET /tracking/stats.xlsx", s.user(fromReplica(s.trackStatsXLSX)))
	// The leaders' cockpit 四项机制运行总览 (issue 18).
	add("GET /overview", s.user(fromReplica(s.overviewPage)))
	add("GET /overview.xlsx", s.user(fromReplica(s.overviewXLSX)))
	add("GET /overview/trend", s.user(fromReplica(s.overviewTrend)))
	add("GET /overview/trend.xlsx", s.user(fromReplica(s.overviewTrendXLSX)))
	add("GET /rectifications", s.user(s.rectList))
	add("GET /rectifications/new", s.user(s.rectNew))
	add("POST /rectifications", s.user(s.rectCreate))
	add("GET /rectifications/{id}", s.user(s.rectShow))
	add("GET /rectifications/{id}/notice", s.user(s.rectPrint("notice")))
	add("GET /rectifications/{id}/report", s.user(s.rectPrint("report")))
	add("POST /rectifications/{id}/items", s.user(s.rectAct(s.rectAddItem)))
	add("POST /rectifications/{id}/items/{item}/report", s.user(s.rectAct(s.rectReport)))
	add("POST /rectifications/{id}/items/{item}/decide", s.user(s.rectAct(s.rectDecide)))
	add("POST /rectifications/{id}/items/{item}/files", s.user(s.rectAct(s.rectUpload)))
	add("GET /attachments/{id}", s.user(s.attachment))

	add("GET /inspections", s.user(s.inspectionList))
	add("GET /inspections/new", s.user(s.inspectionNew))
	add("POST /inspections", s.user(s.inspectionCreate))
	add("GET /inspections/{id}", s.user(s.inspectionShow))
	add("POST /inspections/{id}/{act}", s.user(s.inspectionAct))
	add("GET /inspections/{id}/edit", s.user(s.inspectionEdit))
	add("POST /inspections/{id}/edit", s.user(s.inspectionUpdate))
	add("POST /inspections/{id}/files", s.user(s.inspectionPlanUpload))
	add("GET /inspections/{id}/checklist", s.user(s.inspectionChecklistEdit))
	add("POST /inspections/{id}/checklist", s.user(s.inspectionChecklistSave))
	add("GET /inspections/{id}/targets/{target}", s.user(s.inspectionSheet))
	add("POST /inspections/{id}/targets/{target}/{act}", s.user(s.inspectionTargetAct))
	add("POST /inspections/{id}/findings/{finding}/{act}", s.user(s.inspectionFindingAct))
	add("GET /inspections/{id}/report", s.user(s.inspectionReport))
	add("GET /inspections/{id}/report.docx", s.user(s.inspectionReportDocx))
	add("GET /inspections/{id}/report.xlsx", s.user(s.inspectionReportXlsx))

	add("GET /clues", s.user(s.clueList))
	add("GET /clues/new", s.user(s.clueNew))
	add("POST /clues", s.user(s.clueCreate))
	add("GET /clues/{id}", s.user(s.clueShow))
	add("POST /clues/{id}/{act}", s.user(s.clueAct))
	add("GET /dispositions", s.user(s.dispositionList))
	add("GET /dispositions/new", s.user(s.dispositionNew))
	add("GET /dispositions/counts.xlsx", s.user(fromReplica(s.dispositionCountsXLSX)))
	add("POST /dispositions", s.user(s.dispositionCreate))
	add("GET /dispositions/{id}", s.user(s.dispositionShow))
	add("POST /dispositions/{id}/talks", s.user(s.dispositionTalk))

	// The officers' integrity records and their early warnings (issue 18).
	add("GET /integrity", s.user(s.integrityList))
	add("GET /integrity.xlsx", s.user(fromReplica(s.integrityXLSX)))
	add("POST /integrity/evaluate", s.user(s.integrityEvaluate))
	add("GET /integrity/{id}", s.user(s.integrityShow))
	add("POST /integrity/warnings/{id}/{act}", s.user(s.integrityWarningAct))
	// The periodic report 四项机制运行情况报告 (issue 18).
	add("GET /reports", s.user(fromReplica(s.runReportList)))
	add("GET /reports/new", s.user(s.runReportNew))
	add("POST /reports", s.user(s.runReportCreate))
	add("GET /reports/status", s.user(s.runReportStatus))
	add("POST /reports/remind", s.user(s.runReportRemind))
	add("GET /reports/combined", s.user(fromReplica(s.runReportCombined)))
	add("GET /reports/combined.docx", s.user(fromReplica(s.runReportCombinedDocx)))
	add("GET /reports/{id}", s.user(s.runReportShow))
	add("POST /reports/{id}", s.user(s.runReportSave))
	add("POST /reports/{id}/{act}", s.user(s.runReportAct))
	add("GET /reports/{id}/print", s.user(s.runReportPrint))
	add("GET /reports/{id}/report.docx", s.user(s.runReportDocx))

	if s.API != nil {
		add("/api/v1/", s.API)
	}
	add("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, domain.ErrNotFound)
	}))
	return rs
}

// Routes lists the patterns of every route, for the route matrix test.
func (s *Server) Routes() []string {
	var out []string
	for _, r := range s.routes() {
		out = append(out, r.pattern)
	}
	return out
}

// Handler returns the whole HTTP stack: routes, sessions, cross-origin
// protection, security headers, logging and metrics.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, r := range s.routes() {
		mux.Handle(r.pattern, r.handler)
	}
	s.pages = mux

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Log.Warn("cross-origin request refused", "method", r.Method, "path", r.URL.Path, "origin", r.Header.Get("Origin"), "remote", s.RemoteAddr(r))
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte("跨站请求已被拒绝。"))
	}))
	return s.observe(mux, s.headers(cop.Handler(mux)))
}

// headers sets the security headers on every response.
func (s *Server) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		if s.overHTTPS(r) {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// observe logs each request, counts it by route pattern and turns a panic
// into a 500 without losing the process.
func (s *Server) observe(mux *http.ServeMux, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				s.Log.Error("panic serving request", "path", r.URL.Path, "panic", p)
				if sw.status == 0 {
					http.Error(sw, "内部错误", http.StatusInternalServerError)
				}
			}
			_, route := mux.Handler(r)
			if route == "" {
				route = "other"
			}
			if sw.status == 0 {
				sw.status = http.StatusOK
			}
			d := time.Since(start)
			s.Metrics.ObserveRequest(r.Method, route, sw.status, d)
			if !strings.HasPrefix(r.URL.Path, "/static/") {
				s.Log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "took", d)
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

// RemoteAddr returns the client's address for the audit trail and the
// throttles. Behind trusted proxies it is the right-most address of
// X-Forwarded-For that is not a trusted proxy: addresses left of it were
// written by the client and prove nothing.
func (s *Server) RemoteAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !s.TrustProxy || !s.trusted(host) {
		return host
	}
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		for _, a := range strings.Split(h, ",") {
			if a = strings.TrimSpace(a); a != "" {
				hops = append(hops, a)
			}
		}
	}
	for i := len(hops) - 1; i >= 0; i-- {
		if !s.trusted(hops[i]) {
			if ip, err := netip.ParseAddr(hops[i]); err == nil {
				return ip.Unmap().String()
			}
			return host // a forged or broken entry: fall back to the proxy
		}
	}
	return host
}

// trusted reports whether addr is in a trusted proxy network.
func (s *Server) trusted(addr string) bool {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	for _, p := range s.TrustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// healthz answers 200 when the database answers and has room to write;
// 503 with the reason otherwise: the database does not answer, a change
// failed on a full disk in the last five minutes, or (SQLite) the disk has
// less than MinFreeBytes left.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	unhealthy := func(why string) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(why + "\n"))
	}
	if err := s.DB.Ping(ctx); err != nil {
		s.Log.Error("health check failed", "err", err)
		unhealthy("database unavailable")
		return
	}
	if at := s.storageFullAt.Load(); at != 0 && time.Since(time.Unix(0, at)) < 5*time.Minute {
		unhealthy("storage full: a change failed for want of disk space")
		return
	}
	if free, ok := s.DB.FreeBytes(); ok && free < MinFreeBytes {
		unhealthy(fmt.Sprintf("storage low: %d bytes free beside the database", free))
		return
	}
	w.Write([]byte("ok\n"))
}

// MinFreeBytes is the free disk space beside a SQLite database below which
// /healthz reports trouble.
const MinFreeBytes = 64 << 20

// MetricsHandler serves the Prometheus text without authentication, for
// a listener of its own (--metrics-addr) that only the scraper reaches.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", s.metrics)
	return mux
}

// metricsWithToken serves /metrics on the main address only to a bearer of
// the metrics token; without a token configured it is not there.
func (s *Server) metricsWithToken(w http.ResponseWriter, r *http.Request) {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if s.MetricsToken == "" || !ok || subtle.ConstantTimeCompare([]byte(got), []byte(s.MetricsToken)) != 1 {
		if s.MetricsToken != "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		http.NotFound(w, r)
		return
	}
	s.metrics(w, r)
}

func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	if _, err := s.Metrics.WriteTo(w); err != nil {
		s.Log.Debug("writing metrics", "err", err)
	}
}
