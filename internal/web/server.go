// Package web serves zhilian's pages: server-rendered html/template in
// Simplified Chinese, every asset embedded, sessions on the server, and
// cross-origin form posts refused.
package web

import (
	"context"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/zhilian/zhilian/internal/auth"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/jobs"
	"github.com/zhilian/zhilian/internal/metrics"
	"github.com/zhilian/zhilian/internal/sms"
	"github.com/zhilian/zhilian/internal/store"
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
	// TrustProxy takes the client address from X-Forwarded-For (set it
	// only behind a reverse proxy that overwrites that header).
	TrustProxy bool
	// API serves /api/v1/; nil for none.
	API http.Handler
	// CaseTypes are the case type codes that case numbers may carry.
	CaseTypes []string
	// VisitConfig holds the return-visit deadlines.
	VisitConfig visit.Config
	// DrawRule is the monthly draw's rate and rounding.
	DrawRule visit.DrawRule
	// SMSHealth reports the SMS provider's state; nil if none runs.
	SMSHealth func() sms.Health
	// SMSInbound takes the HTTP gateway's replies and receipts at
	// /sms/inbound; nil unless the http provider is in use.
	SMSInbound http.Handler
	// BaseContext is the server's lifetime: background work (imports)
	// stops when it ends.
	BaseContext context.Context

	bg sync.WaitGroup

	tmpl        map[string]*template.Template
	assets      *assets
	linkLimiter *limiter
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
	s.linkLimiter = newLimiter(20, 10)
	return s, nil
}

// Handler returns the whole HTTP stack: routes, sessions, cross-origin
// protection, security headers, logging and metrics.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /metrics", s.metrics)
	mux.HandleFunc("GET /static/{file}", s.assets.serve)
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		u, _ := s.assets.url("favicon.svg")
		http.Redirect(w, r, u, http.StatusMovedPermanently)
	})

	mux.HandleFunc("GET /login", s.loginForm)
	mux.HandleFunc("POST /login", s.login)
	mux.Handle("POST /logout", s.user(s.logout))
	mux.Handle("GET /{$}", s.user(s.home))
	mux.Handle("GET /account/password", s.user(s.passwordForm))
	mux.Handle("POST /account/password", s.user(s.changePassword))

	mux.Handle("GET /admin/users", s.admin(s.userList))
	mux.Handle("GET /admin/users/new", s.admin(s.userNew))
	mux.Handle("POST /admin/users", s.admin(s.userCreate))
	mux.Handle("GET /admin/users/{id}", s.admin(s.userEdit))
	mux.Handle("POST /admin/users/{id}", s.admin(s.userUpdate))
	mux.Handle("POST /admin/users/{id}/disable", s.admin(s.userDisable))
	mux.Handle("POST /admin/users/{id}/enable", s.admin(s.userEnable))
	mux.Handle("POST /admin/users/{id}/unlock", s.admin(s.userUnlock))
	mux.Handle("POST /admin/users/{id}/password", s.admin(s.userResetPassword))

	mux.Handle("GET /admin/courts", s.admin(s.courtList))
	mux.Handle("POST /admin/courts/import", s.admin(s.courtImport))
	mux.Handle("GET /admin/courts/{code}", s.admin(s.courtEdit))
	mux.Handle("POST /admin/courts/{code}", s.admin(s.courtUpdate))
	mux.Handle("POST /admin/courts/{code}/departments", s.admin(s.departmentAdd))

	mux.Handle("GET /audit", s.user(s.auditList))

	mux.Handle("GET /visits", s.user(s.visitList))
	mux.Handle("GET /visits/{id}", s.user(s.visitShow))
	mux.Handle("POST /visits/{id}/events", s.user(s.visitAct))
	mux.Handle("GET /visits/{id}/print", s.user(s.visitPrint))
	mux.Handle("GET /forms/annex3", s.user(s.blankAnnex3))
	mux.Handle("GET /v/{token}", s.linkPage(s.linkShow))
	mux.Handle("POST /v/{token}", s.linkPage(s.linkAnswer))
	mux.Handle("GET /trips", s.user(s.tripList))
	mux.Handle("GET /trips/new", s.user(s.tripNew))
	mux.Handle("GET /trips/mapping", s.user(s.tripMapping))
	mux.Handle("GET /trips/accountability", s.user(s.tripAccountability))
	mux.Handle("GET /trips/accountability.xlsx", s.user(s.tripAccountabilityXLSX))
	mux.Handle("POST /trips", s.user(s.tripCreate))
	mux.Handle("GET /trips/{id}", s.user(s.tripShow))
	mux.Handle("POST /trips/{id}/requirement", s.user(s.tripRequirement))
	mux.Handle("POST /trips/{id}/report", s.user(s.tripReport))
	mux.Handle("POST /trips/{id}/cancel", s.user(s.tripCancel))
	mux.Handle("GET /trips/{id}/print", s.user(s.tripPrint))
	mux.Handle("GET /trip-reviews", s.user(s.tripReviews))
	mux.Handle("GET /trip-reviews/{id}", s.user(s.tripReviewShow))
	mux.Handle("POST /trip-reviews/{id}/{act}", s.user(s.tripReviewAct))
	mux.Handle("GET /annex2/{id}", s.user(s.annex2Form))
	mux.Handle("POST /annex2/{id}", s.user(s.annex2File))
	mux.Handle("GET /annex2/{id}/print", s.user(s.annex2Print))
	mux.Handle("GET /forms/{n}", s.user(s.blankAnnex))
	mux.Handle("GET /sms", s.user(s.smsPage))
	mux.Handle("POST /sms/{id}/decide", s.user(s.smsDecide))
	mux.Handle("POST /sms/replies/{id}/handled", s.user(s.smsReplyHandled))
	mux.Handle("GET /admin/sms", s.admin(s.smsAdmin))
	mux.Handle("POST /admin/sms/test", s.admin(s.smsTest))
	if s.SMSInbound != nil {
		mux.Handle("POST /sms/inbound", s.SMSInbound)
	}
	mux.Handle("GET /visit-stats", s.user(s.visitStats))
	mux.Handle("GET /visit-stats.xlsx", s.user(s.visitStatsXLSX))
	mux.Handle("GET /visit-batches", s.user(s.visitBatches))
	mux.Handle("POST /visit-batches", s.user(s.visitDraw))
	mux.Handle("GET /visit-batches/{id}", s.user(s.visitBatch))
	mux.Handle("POST /cases/{id}/focus", s.user(s.visitFocus))
	mux.Handle("GET /cases", s.user(s.caseList))
	mux.Handle("GET /cases/import", s.user(s.caseImportForm))
	mux.Handle("POST /cases/import", s.user(s.caseImportStart))
	mux.Handle("GET /cases/import/{id}", s.user(s.caseImportShow))
	mux.Handle("GET /cases/import/{id}/report", s.user(s.caseImportReport))
	mux.Handle("GET /cases/{id}", s.user(s.caseShow))
	mux.Handle("POST /cases/{id}/parties/{party}/phone", s.user(s.caseRevealPhone))
	mux.Handle("POST /cases/{id}/pauses", s.user(s.caseAddPause))
	mux.Handle("POST /cases/{id}/extensions", s.user(s.caseAddExtension))

	if s.API != nil {
		mux.Handle("/api/v1/", s.API)
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, domain.ErrNotFound)
	})

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
		if s.TLS {
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

// RemoteAddr returns the client's address for the audit trail.
func (s *Server) RemoteAddr(r *http.Request) string {
	if s.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			return strings.TrimSpace(strings.Split(xff, ",")[0])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.DB.Ping(ctx); err != nil {
		s.Log.Error("health check failed", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unavailable\n"))
		return
	}
	w.Write([]byte("ok\n"))
}

func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	s.Metrics.WriteTo(w)
}
