package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/app"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/sms"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/tracking"
	"github.com/zhilian/zhilian/internal/trip"
	"github.com/zhilian/zhilian/internal/visit"
)

// matrixClient is one viewer: a browser with its session, and an API token.
type matrixClient struct {
	b     *browser
	token string
}

func (c *matrixClient) ask(method, path string, api bool) resp {
	req, _ := http.NewRequest(method, c.b.e.srv.URL+path, strings.NewReader(""))
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", c.b.e.srv.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	if api {
		if c.token != "" {
			req.Header.Set("Authorization", "Bearer "+c.token)
		}
		req.Header.Set("Content-Type", "application/json")
		if method == http.MethodPost {
			req.Body = http.NoBody
			req, _ = http.NewRequest(method, c.b.e.srv.URL+path, strings.NewReader(`{"cases": [{"case_no": "（2026）鲁01执99号", "filed_on": "2026-01-05"}]}`))
			req.Header.Set("Content-Type", "application/json")
			if c.token != "" {
				req.Header.Set("Authorization", "Bearer "+c.token)
			}
		}
	}
	return c.b.do(req)
}

// newMatrixEnv is the program with every route there is: the HTTP
// gateway's callback too.
func newMatrixEnv(t *testing.T) *env {
	t.Helper()
	cfg := app.Config{DB: testdb.DSN(t), Key: testdb.Key, Params: testdb.CheapParams, SMS: "http", UploadDir: t.TempDir()}
	cfg.HTTP.URL, cfg.HTTP.Secret = "http://127.0.0.1:9/sms", "matrix-secret"
	a, err := app.Open(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	// Tencent Cloud's callbacks, which only --sms tencent mounts.
	tc, err := sms.NewTencent(sms.TencentConfig{SecretID: "AKIDmatrix", SecretKey: "k", SdkAppID: "1400000001", CallbackToken: "matrix-token"})
	if err != nil {
		t.Fatal(err)
	}
	out := &store.SMSOutbox{DB: a.DB, Visits: a.Config.Visits}
	a.Web.SMSTencentStatus, a.Web.SMSTencentReply = tc.StatusCallback(out, a.Web.RemoteAddr), tc.ReplyCallback(out, a.Web.RemoteAddr)
	return newEnvFor(t, a)
}

// courtFx are the records of one court the matrix asks about.
type courtFx struct {
	code, caseNo                                                     string
	caseID, party, visit, batch, sms, reply, trip, review, imp, user int64
	grant, token, request, message, complaint, clue, disposition     int64
	rect, rectItem, attachment                                       int64
	finding                                                          int64 // an open patrol finding on the case
	tracking                                                         int64
	trackWork                                                        int64 // a tracking its working group closed with its report
	inspection, inspTarget, inspFinding                              int64 // a case review in 筹备, its target and a finding
	courtID                                                          int64 // the court itself (its SMS templates)
	warning                                                          int64 // an early warning about the officer, proposed
	runReport                                                        int64 // last month's 运行情况报告, submitted
}

type fixtures struct {
	courts  [3]courtFx
	clients map[string]*matrixClient
	asset   string
}

// matrixFixtures makes the viewers at 鲁01 and, at each of 鲁01, 鲁0102 and
// 鲁02, a closed case with a return visit, its message and a stray reply,
// a reported trip under review, an import, an account with a pending
// grant and an API token.
func matrixFixtures(t *testing.T, e *env) *fixtures {
	t.Helper()
	ctx := context.Background()
	db := e.app.DB
	sys := domain.SystemViewer("t")
	fx := &fixtures{clients: map[string]*matrixClient{}}
	roles := map[string]domain.Role{"o": domain.RoleOfficer, "h": domain.RoleDeptHead, "c": domain.RoleCommandCenter, "b": domain.RoleBureau,
		"d": domain.RoleDisciplineGroup, "s": domain.RoleSupervisionOffice, "a": domain.RoleAdmin, "k": domain.RoleSecurityAdmin, "u": domain.RoleAuditor}
	mids := map[string]int64{}
	for a, role := range roles {
		dept := map[string]string{"o": "执行一庭", "h": "执行一庭", "c": "执行指挥中心", "b": "执行局", "d": "派驻纪检监察组", "s": "监察室"}[a]
		if dept == "" {
			dept = "信息技术处"
		}
		mids[a] = testdb.AddUser(t, db, "m."+string(role), "鲁01", dept, role).ID
	}
	// A security administrator above, who asks for the grants.
	asker := testdb.AddUser(t, db, "m.asker", "鲁", "信息技术处", domain.RoleSecurityAdmin)
	now := db.Now()
	for i, code := range []string{"鲁01", "鲁0102", "鲁02"} {
		c := &fx.courts[i]
		c.code = code
		if ct, err := db.CourtByCode(ctx, code); err == nil {
			c.courtID = ct.ID
		}
		off := testdb.AddUser(t, db, fmt.Sprintf("fx.off%d", i), code, "执行一庭", domain.RoleOfficer)
		testdb.AddUser(t, db, fmt.Sprintf("fx.cc%d", i), code, "执行指挥中心", domain.RoleCommandCenter)
		c.user = off.ID
		c.caseNo = fmt.Sprintf("（2026）%s执1号", code)
		no, _ := domain.ParseCaseNo(c.caseNo, domain.DefaultCaseTypes)
		k := &domain.Case{No: no, FiledOn: domain.MustDate("2026-02-02"), ClosedOn: domain.MustDate("2026-10-10"), ClosingMode: "执行完毕", Officer: off.Name, Department: "执行一庭",
			Parties: []domain.Party{{Role: domain.Applicant, Name: "王芳", Phone: fmt.Sprintf("1380000000%d", i)}}}
		if err := db.Update(ctx, sys, func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); return err }); err != nil {
			t.Fatal(err)
		}
		c.caseID = k.ID
		c.finding = patrolFixture(t, db, k.ID, code)
		cid, err := db.RegisterComplaint(ctx, sys, code, oversight.Complaint{Kind: oversight.KindPetition, Channel: "来访",
			ReceivedOn: domain.DateOf(now, domain.Beijing), CaseNumbers: []string{k.Number}, Content: "矩阵测试", Level: oversight.LevelCourt, Repeat: 1})
		if err != nil {
			t.Fatal(err)
		}
		c.complaint = cid
		// A suggestion from the court's own watchdog, an item for its
		// officer from its bureau, and a scan kept with it.
		grp := domain.ViewerFor(testdb.AddUser(t, db, fmt.Sprintf("fx.grp%d", i), code, "派驻纪检监察组", domain.RoleDisciplineGroup), "")
		bur := domain.ViewerFor(testdb.AddUser(t, db, fmt.Sprintf("fx.bur%d", i), code, "执行局", domain.RoleBureau), "")
		today := domain.DateOf(now, domain.Beijing)
		if c.rect, err = db.IssueSuggestion(ctx, grp, code, oversight.Suggestion{Problem: "执行款发放不及时", Improve: "建立台账", Deadline: today.AddDays(30)}); err != nil {
			t.Fatal(err)
		}
		if c.rectItem, err = db.AddRectItem(ctx, bur, c.rect, oversight.Item{Unit: "执行一庭", Responsible: off.ID, Deadline: today.AddDays(20), Task: "建立台账"}); err != nil {
			t.Fatal(err)
		}
		if c.attachment, err = db.AddItemFile(ctx, bur, c.rect, c.rectItem, "scan.pdf", []byte("%PDF-1.4\n%%EOF\n")); err != nil {
			t.Fatal(err)
		}
		// A key-case tracking in consultation: the bureau evaluated it and
		// recorded the consultation of the three bodies.
		if c.tracking, err = db.OpenTracking(ctx, sys, k.ID, today); err != nil {
			t.Fatal(err)
		}
		ev, err := tracking.NewEvaluation(tracking.DefaultFactors(), map[string]string{"amount": "3", "parties": "3", "media": "3", "complaints": "3", "findings": "3"},
			tracking.ResultTrack, "矩阵测试")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Evaluate(ctx, bur, c.tracking, ev); err != nil {
			t.Fatal(err)
		}
		if err := db.OpenConsultation(ctx, bur, c.tracking, &tracking.Consultation{Date: today, Minutes: "矩阵测试",
			Participants: map[domain.Role]string{domain.RoleBureau: "甲", domain.RoleDisciplineGroup: "乙", domain.RoleSupervisionOffice: "丙"}}); err != nil {
			t.Fatal(err)
		}
		c.trackWork = closedTrackingFixture(t, e, code, i)
		// A case review organised by the court: at 鲁01 by the matrix's own
		// bureau, 纪检监察组 and 监察室, elsewhere by the court's.
		sup := testdb.AddUser(t, db, fmt.Sprintf("fx.sup%d", i), code, "监察室", domain.RoleSupervisionOffice)
		group, lead := []int64{bur.UserID, grp.UserID, sup.ID}, bur
		if i == 0 {
			group = []int64{mids["b"], mids["d"], mids["s"]}
			lead = domain.Viewer{UserID: mids["b"], CourtPath: bur.CourtPath, CourtCode: code, CourtID: bur.CourtID, Roles: []domain.Role{domain.RoleBureau}}
		}
		if c.inspection, err = db.CreateInspection(ctx, lead, store.InspectionInput{Campaign: inspection.Campaign{Kind: inspection.KindCaseReview,
			Theme: inspection.ThemeMoney, Title: "矩阵评查", From: today.AddDays(-90), To: today}, Courts: []string{code}, MemberIDs: group, LeaderID: group[0],
			PerCourt: 1, Thresholds: inspection.DefaultThresholds(), AnswerDays: 7}); err != nil {
			t.Fatal(err)
		}
		// Its one target, the court's case picked, and a finding about the
		// officer written straight in (no step reaches one in 筹备).
		if err := db.PickInspectionCase(ctx, lead, c.inspection, c.caseNo, "矩阵测试"); err != nil {
			t.Fatal(err)
		}
		if ts, err := db.InspectionTargets(ctx, lead, c.inspection); err != nil || len(ts) != 1 {
			t.Fatalf("matrix targets: %v", err)
		} else {
			c.inspTarget = ts[0].ID
		}
		q := "INSERT INTO inspection_findings (campaign_id, target_id, court_id, officer_id, category, severity, text, answer_due, created_at) " +
			"SELECT campaign_id, id, court_id, officer_id, '其他', 'minor', '矩阵测试', '2099-01-01', created_at FROM inspection_targets WHERE id = ? RETURNING id"
		if db.Engine == store.Postgres {
			q = strings.Replace(q, "?", "$1", 1)
		}
		if err := db.WriteDB().QueryRow(q, c.inspTarget).Scan(&c.inspFinding); err != nil {
			t.Fatal(err)
		}
		c.runReport = runReportFixture(t, db, bur)
		if c.clue, err = db.RegisterClue(ctx, sys, code, oversight.Clue{Source: oversight.SourceComplaint, SourceID: cid, Persons: []string{off.Username},
			Summary: "矩阵测试"}, ""); err != nil {
			t.Fatal(err)
		}
		if c.disposition, err = db.RecordDisposition(ctx, sys, code, oversight.Disposition{Person: off.Username, Form: 1, Measure: "谈话提醒",
			Basis: "矩阵测试", Decider: "纪检监察组", DecidedOn: domain.DateOf(now, domain.Beijing)}); err != nil {
			t.Fatal(err)
		}
		full, err := db.CaseByID(ctx, sys, k.ID)
		if err != nil || len(full.Parties) != 1 {
			t.Fatal(err)
		}
		c.party = full.Parties[0].ID
		b, _, err := db.DrawBatch(ctx, domain.SystemViewer("job"), code, "2026-10", visit.DefaultDrawRule())
		if err != nil {
			t.Fatal(err)
		}
		c.batch = b.ID
		if _, err := db.StartNewVisits(ctx, visit.DefaultConfig()); err != nil {
			t.Fatal(err)
		}
		vs, _ := db.Visits(ctx, sys, store.VisitFilter{})
		for _, v := range vs {
			if v.CaseID == k.ID {
				c.visit = v.ID
			}
		}
		if err := db.WriteDB().QueryRow(e.rebind("SELECT id FROM sms_outbox WHERE visit_id = ?"), c.visit).Scan(&c.sms); err != nil {
			t.Fatal(err)
		}
		// The message's fate is unknown, for the command centre to settle.
		if _, err := db.WriteDB().Exec(e.rebind("UPDATE sms_outbox SET status = 'unknown' WHERE id = ?"), c.sms); err != nil {
			t.Fatal(err)
		}
		if _, err := db.WriteDB().Exec(e.rebind("UPDATE visits SET step = 'closed' WHERE id = ?"), c.visit); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ReceiveReply(ctx, fmt.Sprintf("1380000000%d", i), "还有一件事", now, visit.DefaultConfig()); err != nil {
			t.Fatal(err)
		}
		if _, err := db.WriteDB().Exec(e.rebind("UPDATE visits SET step = 'phone_pending' WHERE id = ?"), c.visit); err != nil {
			t.Fatal(err)
		}
		if err := db.WriteDB().QueryRow("SELECT MAX(id) FROM sms_inbox").Scan(&c.reply); err != nil {
			t.Fatal(err)
		}
		// A trip of the court's officer, reported with 有: under review.
		dest := map[string]string{"鲁01": "370203", "鲁0102": "370203", "鲁02": "370102"}[code]
		ov := domain.ViewerFor(off, "")
		tr, err := db.CreateTrip(ctx, ov, trip.Plan{CaseNumbers: []string{k.Number}, Destinations: []string{dest}, DepartAt: now.Add(-72 * time.Hour),
			ReturnAt: now.Add(-48 * time.Hour), Task: "查控财产"}, trip.DefaultRules())
		if err != nil {
			t.Fatal(err)
		}
		c.trip = tr.ID
		answers := trip.Answers{}
		for _, it := range trip.Items {
			answers[it.Code] = it.Code == "T1"
		}
		accounts := map[int64]string{}
		for _, tc := range tr.Cases {
			accounts[tc.ID] = "查控银行账户"
		}
		if _, err := db.FileTripReport(ctx, ov, tr.ID, trip.Annex1Input{ReturnedOn: domain.DateOf(now.Add(-48*time.Hour), domain.Beijing), Answers: answers, Explanation: "同住一处", Attested: true,
			CaseAccounts: accounts}, trip.DefaultRules()); err != nil {
			t.Fatal(err)
		}
		rvs, err := db.TripReviewsOf(ctx, sys, tr.ID, 0)
		if err != nil || len(rvs) != 1 {
			t.Fatalf("reviews of the fixture trip: %v %v", rvs, err)
		}
		c.review = rvs[0].ID
		// A message to the court's officer, which no viewer may mark.
		if err := db.Update(ctx, sys, func(tx *store.Tx) error {
			return tx.Notify(ctx, []int64{off.ID}, oversight.Notice{Kind: oversight.NoticeGeneral, Title: "测试通知", Link: "/", CourtID: off.CourtID})
		}); err != nil {
			t.Fatal(err)
		}
		ms, err := db.Messages(ctx, domain.ViewerFor(off, ""), false, 1)
		if err != nil || len(ms) != 1 {
			t.Fatalf("the fixture message: %v %v", ms, err)
		}
		c.message = ms[0].ID
		if _, err := db.FileAnnex2(ctx, ov, k.ID, trip.Annex2Input{Fulfilled: true, Attested: true}); err != nil {
			t.Fatal(err)
		}
		// An import: the own court's is the command centre viewer's.
		starter := domain.ViewerFor(mustUser(t, db, fmt.Sprintf("fx.cc%d", i)), "")
		if i == 0 {
			starter = domain.ViewerFor(mustUser(t, db, "m.command_center"), "")
		}
		if c.imp, err = db.StartImport(ctx, starter, "cases.csv", 10); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishImport(ctx, starter, c.imp, store.ImportDone, "", "行,列,原因\n"); err != nil {
			t.Fatal(err)
		}
		// A grant awaiting approval, of another officer: one with a pending
		// sensitive role is the security administrator's alone to manage.
		cand := testdb.AddUser(t, db, fmt.Sprintf("fx.cand%d", i), code, "执行一庭", domain.RoleOfficer)
		err = db.Update(ctx, domain.ViewerFor(asker, ""), func(tx *store.Tx) error {
			_, err := tx.GrantRole(ctx, cand.ID, domain.RoleCommandCenter, "矩阵测试")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		gs, _ := db.RoleGrants(ctx, sys, store.GrantFilter{UserID: cand.ID, Pending: true})
		c.grant = gs[0].ID
		err = db.Update(ctx, domain.ViewerFor(asker, ""), func(tx *store.Tx) error {
			return tx.RequestReset(ctx, cand.ID, domain.ResetPassword, "矩阵测试")
		})
		if err != nil {
			t.Fatal(err)
		}
		rs, _ := db.AccountRequests(ctx, sys, true, cand.ID)
		c.request = rs[0].ID
		err = db.Update(ctx, sys, func(tx *store.Tx) error {
			_, err := tx.CreateAPIToken(ctx, off.Username, "矩阵", 0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		ts, _ := db.APITokens(ctx, sys, off.Username)
		c.token = ts[0].ID
	}
	// An early warning about each court's officer: three of his cases
	// with property long past their time limit (issue 18).
	for i := range fx.courts {
		c := &fx.courts[i]
		off := mustUser(t, db, fmt.Sprintf("fx.off%d", i))
		var ks []*domain.Case
		for n := 1; n <= 3; n++ {
			no, _ := domain.ParseCaseNo(fmt.Sprintf("（2020）%s执%d号", c.code, n), domain.DefaultCaseTypes)
			ks = append(ks, &domain.Case{No: no, FiledOn: domain.MustDate("2020-01-06"), Officer: off.Name, Department: "执行一庭", HasProperty: true, PropertyKnown: true})
		}
		if err := db.Update(ctx, sys, func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, ks, nil); return err }); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.EvaluateIntegrity(ctx, sys, ""); err != nil {
		t.Fatal(err)
	}
	for i := range fx.courts {
		ws, err := db.IntegrityWarnings(ctx, sys, fx.courts[i].user)
		if err != nil || len(ws) != 1 {
			t.Fatalf("the fixture warning at %s: %v %v", fx.courts[i].code, ws, err)
		}
		fx.courts[i].warning = ws[0].ID
	}
	for a, role := range roles {
		cl := &matrixClient{b: e.browser().loggedIn("m." + string(role))}
		if role.IsAdministrative() {
			// No business token for an administrator.
			fx.clients[a] = cl
			continue
		}
		if role.NeedsSecondFactor() {
			// A watchdog issues its own under a fresh code.
			r := cl.b.post("/account/tokens", url.Values{"name": {"矩阵"}, "hours": {"8"}, "code": {e.code("m." + string(role))}})
			m := ownTokenRE.FindStringSubmatch(r.body)
			if m == nil {
				t.Fatalf("%s issuing its own token: %d", role, r.status)
			}
			cl.token = m[1]
			fx.clients[a] = cl
			continue
		}
		if err := db.Update(ctx, sys, func(tx *store.Tx) error {
			var err error
			cl.token, err = tx.CreateAPIToken(ctx, "m."+string(role), "矩阵", 0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		fx.clients[a] = cl
	}
	fx.clients["x"] = &matrixClient{b: e.browser()}
	testdb.AddUser(t, db, "m.pending", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup)
	pending := e.browser()
	if r := pending.login("m.pending", testdb.Password); r.header.Get("Location") != "/login/2fa" {
		t.Fatalf("pending viewer: %d %s", r.status, r.header.Get("Location"))
	}
	fx.clients["p"] = &matrixClient{b: pending}
	home := fx.clients["o"].b.get("/login")
	i := strings.Index(home.body, "/static/app.")
	fx.asset = home.body[i : i+strings.IndexByte(home.body[i:], '"')]
	return fx
}

func mustUser(t *testing.T, db *store.DB, username string) *domain.User {
	t.Helper()
	u, _, err := db.UserForLogin(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
