package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

var ctx = context.Background()

func TestCourtDirectoryLoaded(t *testing.T) {
	db := testdb.Open(t)
	n, err := db.CourtCount(ctx)
	if err != nil || n < 150 {
		t.Fatalf("%d courts, %v", n, err)
	}
	c, err := db.CourtByCode(ctx, "鲁0102")
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "济南市历下区人民法院" || c.ParentCode != "鲁01" || c.Path != "/鲁/鲁01/鲁0102/" {
		t.Fatalf("鲁0102 = %+v", c)
	}
	if _, err := db.CourtByCode(ctx, "鲁9999"); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("missing court: err = %v, want ErrNotFound", err)
	}
}

func TestUsernameConflictIsByCode(t *testing.T) {
	db := testdb.Open(t)
	testdb.AddUser(t, db, "zhangwei", "鲁0102", "执行一庭", domain.RoleOfficer)
	u := &domain.User{Username: "ZhangWei", Name: "张伟", CourtCode: "鲁0102", Department: "执行一庭", Roles: []domain.Role{domain.RoleOfficer}}
	err := db.Update(ctx, domain.SystemViewer("test"), func(tx *store.Tx) error { return tx.CreateUser(ctx, u, "x") })
	var ve *domain.ValidationError
	if !errors.As(err, &ve) || ve.Fields["username"] == "" {
		t.Fatalf("duplicate username (other case): err = %v, want a username field error", err)
	}
	// The failed transaction left nothing behind: one user, one create record.
	users, _, err := db.Users(ctx, domain.SystemViewer("test"), store.UserFilter{Query: "zhangwei"})
	if err != nil || len(users) != 1 {
		t.Fatalf("users = %d, %v", len(users), err)
	}
}

func TestAdminScope(t *testing.T) {
	db := testdb.Open(t)
	jinan := testdb.AddUser(t, db, "jn.admin", "鲁01", "信息技术处", domain.RoleAdmin)
	testdb.AddUser(t, db, "lixia.officer", "鲁0102", "执行一庭", domain.RoleOfficer)
	qd := testdb.AddUser(t, db, "qd.officer", "鲁0202", "执行一庭", domain.RoleOfficer)
	testdb.AddUser(t, db, "high.officer", "鲁", "执行一庭", domain.RoleOfficer)
	v := domain.ViewerFor(jinan, "127.0.0.1")

	users, _, err := db.Users(ctx, v, store.UserFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range users {
		names = append(names, u.Username)
	}
	if strings.Join(names, ",") != "jn.admin,lixia.officer" {
		t.Fatalf("Jinan admin sees %v: want itself and its subtree only", names)
	}
	// Sideways: a Qingdao user is "not found", not "forbidden", so that its
	// existence is not revealed.
	if _, err := db.UserByID(ctx, v, qd.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("sideways user: err = %v", err)
	}
	err = db.Update(ctx, v, func(tx *store.Tx) error { _, err := tx.SetUserDisabled(ctx, qd.ID, true); return err })
	if !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("disabling sideways user: err = %v", err)
	}
	// Upward: the admin cannot place a user in the High Court.
	u := &domain.User{Username: "x1", Name: "某", CourtCode: "鲁", Department: "执行一庭", Roles: []domain.Role{domain.RoleOfficer}}
	err = db.Update(ctx, v, func(tx *store.Tx) error { return tx.CreateUser(ctx, u, "x") })
	if !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("creating upward: err = %v", err)
	}
	// An officer administers nobody.
	officer := domain.ViewerFor(qd, "")
	if _, _, err := db.Users(ctx, officer, store.UserFilter{}); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("officer listing users: err = %v", err)
	}
}

func TestAuditChainAndTampering(t *testing.T) {
	db := testdb.Open(t)
	for i, name := range []string{"a1", "a2", "a3"} {
		testdb.AddUser(t, db, name, "鲁0102", "执行一庭", domain.RoleOfficer)
		_ = i
	}
	res, err := db.VerifyAudit(ctx)
	if err != nil || !res.OK || res.Checked < 4 {
		t.Fatalf("fresh chain: %+v, %v", res, err)
	}
	var seq int64
	if err := db.WriteDB().QueryRowContext(ctx, "SELECT MIN(seq) FROM audit_log WHERE action = 'user.create'").Scan(&seq); err != nil {
		t.Fatal(err)
	}

	t.Run("changed", func(t *testing.T) {
		db := testdb.Open(t)
		testdb.AddUser(t, db, "b1", "鲁0102", "执行一庭", domain.RoleOfficer)
		testdb.AddUser(t, db, "b2", "鲁0102", "执行一庭", domain.RoleOfficer)
		var target int64
		db.WriteDB().QueryRowContext(ctx, "SELECT MIN(seq) FROM audit_log WHERE action = 'user.create'").Scan(&target)
		testdb.Exec(t, db, "UPDATE audit_log SET detail = 'nothing happened' WHERE seq = ?", target)
		res, err := db.VerifyAudit(ctx)
		if err != nil || res.OK || res.BadSeq != target {
			t.Fatalf("after change: %+v, %v; want bad record %d", res, err, target)
		}
	})
	t.Run("deleted", func(t *testing.T) {
		db := testdb.Open(t)
		testdb.AddUser(t, db, "c1", "鲁0102", "执行一庭", domain.RoleOfficer)
		testdb.AddUser(t, db, "c2", "鲁0102", "执行一庭", domain.RoleOfficer)
		var target int64
		db.WriteDB().QueryRowContext(ctx, "SELECT MIN(seq) FROM audit_log WHERE action = 'user.create'").Scan(&target)
		testdb.Exec(t, db, "DELETE FROM audit_log WHERE seq = ?", target)
		res, err := db.VerifyAudit(ctx)
		if err != nil || res.OK || res.BadSeq != target+1 {
			t.Fatalf("after delete: %+v, %v; want the break found at %d", res, err, target+1)
		}
	})
	t.Run("last deleted", func(t *testing.T) {
		db := testdb.Open(t)
		testdb.AddUser(t, db, "d1", "鲁0102", "执行一庭", domain.RoleOfficer)
		testdb.Exec(t, db, "DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)")
		if res, err := db.VerifyAudit(ctx); err != nil || res.OK {
			t.Fatalf("after deleting the last record: %+v, %v", res, err)
		}
	})
}

func TestAuditFailureFailsTheChange(t *testing.T) {
	db := testdb.Open(t)
	testdb.Exec(t, db, "ALTER TABLE audit_log RENAME TO audit_log_moved")
	u := &domain.User{Username: "ghost", Name: "某", CourtCode: "鲁0102", Department: "执行一庭", Roles: []domain.Role{domain.RoleOfficer}}
	err := db.Update(ctx, domain.SystemViewer("test"), func(tx *store.Tx) error { return tx.CreateUser(ctx, u, "x") })
	if err == nil {
		t.Fatal("user created although its audit record could not be written")
	}
	testdb.Exec(t, db, "ALTER TABLE audit_log_moved RENAME TO audit_log")
	if _, _, err := db.UserForLogin(ctx, "ghost"); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("user after failed audit: err = %v, want not found", err)
	}
	if res, err := db.VerifyAudit(ctx); err != nil || !res.OK {
		t.Fatalf("chain after rollback: %+v, %v", res, err)
	}
}

func TestAuditSM3(t *testing.T) {
	db := testdb.Open(t)
	testdb.AddUser(t, db, "before", "鲁0102", "执行一庭", domain.RoleOfficer)
	db.AuditAlg = "sm3"
	testdb.AddUser(t, db, "after", "鲁0102", "执行一庭", domain.RoleOfficer)
	var algs int
	db.WriteDB().QueryRowContext(ctx, "SELECT COUNT(DISTINCT alg) FROM audit_log").Scan(&algs)
	res, err := db.VerifyAudit(ctx)
	if err != nil || !res.OK || algs != 2 {
		t.Fatalf("mixed sha256/sm3 chain: %+v, %v, %d algorithms", res, err, algs)
	}
}

func TestListAuditScope(t *testing.T) {
	db := testdb.Open(t)
	testdb.AddUser(t, db, "lixia.o", "鲁0102", "执行一庭", domain.RoleOfficer)
	testdb.AddUser(t, db, "qd.o", "鲁0202", "执行一庭", domain.RoleOfficer)
	jn := testdb.AddUser(t, db, "jn.watch", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup)
	admin := testdb.AddUser(t, db, "jn.admin", "鲁01", "信息技术处", domain.RoleAdmin)

	recs, err := db.ListAudit(ctx, domain.ViewerFor(jn, ""), store.AuditFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range recs {
		seen[r.ObjectID] = true
		if !strings.HasPrefix(r.CourtPath, "/鲁/鲁01/") {
			t.Errorf("Jinan watchdog sees record of %s", r.CourtPath)
		}
	}
	if !seen["lixia.o"] || seen["qd.o"] {
		t.Fatalf("Jinan watchdog sees %v", seen)
	}
	if _, err := db.ListAudit(ctx, domain.ViewerFor(admin, ""), store.AuditFilter{}); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("administrator reading the audit trail: err = %v, want forbidden", err)
	}
}

func TestSessions(t *testing.T) {
	db := testdb.Open(t)
	u := testdb.AddUser(t, db, "sess", "鲁0102", "执行一庭", domain.RoleOfficer)
	now := time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	newSession := func() string {
		var tok string
		err := db.Update(ctx, domain.ViewerFor(u, ""), func(tx *store.Tx) error {
			var err error
			tok, err = tx.CreateSession(ctx, u.ID, "127.0.0.1", "test", store.StageFull)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	idle, abs := 30*time.Minute, 12*time.Hour

	tok := newSession()
	if _, _, err := db.SessionUser(ctx, tok, idle, abs); err != nil {
		t.Fatalf("fresh session: %v", err)
	}
	// Active every 29 minutes, the session lives until the absolute limit.
	for i := 0; i < 24; i++ {
		now = now.Add(29 * time.Minute)
		if _, _, err := db.SessionUser(ctx, tok, idle, abs); err != nil {
			t.Fatalf("active session died after %v: %v", time.Duration(i+1)*29*time.Minute, err)
		}
	}
	now = now.Add(29 * time.Minute) // 12h05m after login
	if _, _, err := db.SessionUser(ctx, tok, idle, abs); !errors.Is(err, domain.ErrUnauthorized) {
		t.Fatalf("session past 12 hours: err = %v", err)
	}

	tok = newSession()
	now = now.Add(30 * time.Minute)
	if _, _, err := db.SessionUser(ctx, tok, idle, abs); !errors.Is(err, domain.ErrUnauthorized) {
		t.Fatalf("session idle 30 minutes: err = %v", err)
	}

	tok = newSession()
	if err := db.Update(ctx, domain.SystemViewer("test"), func(tx *store.Tx) error { _, err := tx.SetUserDisabled(ctx, u.ID, true); return err }); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.SessionUser(ctx, tok, idle, abs); err == nil {
		t.Fatal("session of a disabled user still works")
	}
	if n, _ := db.CountSessions(ctx, u.ID); n != 0 {
		t.Fatalf("%d sessions left after disabling", n)
	}
}

func TestBackupSQLite(t *testing.T) {
	db := testdb.Open(t)
	if db.Engine != store.SQLite {
		if _, err := db.Backup(ctx, t.TempDir()+"/x.db"); err == nil {
			t.Fatal("backup on PostgreSQL should point to pg_dump")
		}
		return
	}
	testdb.AddUser(t, db, "kept", "鲁0102", "执行一庭", domain.RoleOfficer)
	out := t.TempDir() + "/backup.db"
	if _, err := db.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	copyDB, err := store.Open(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	copyDB.UseKeys(testdb.Sealer(t))
	if _, _, err := copyDB.UserForLogin(ctx, "kept"); err != nil {
		t.Fatalf("backup lacks the user: %v", err)
	}
	if res, err := copyDB.VerifyAudit(ctx); err != nil || !res.OK {
		t.Fatalf("backup's audit chain: %+v %v", res, err)
	}
	if _, err := db.Backup(ctx, out); err == nil {
		t.Fatal("backup overwrote an existing file")
	}
}

// TestSessionAndTokenCarryRoles: a session's and an API token's user
// come with the same roles and pending roles as the user read on its own
// (loadRoles), though they read them in the statement that finds the
// session or token; a user without roles has none either way. The
// session tells the unread messages as UnreadCount does.
func TestSessionAndTokenCarryRoles(t *testing.T) {
	db := testdb.Open(t)
	sys := domain.SystemViewer("t")
	sec := testdb.AddUser(t, db, "sec", "鲁0102", "政治部", domain.RoleSecurityAdmin)
	u := testdb.AddUser(t, db, "head", "鲁0102", "执行一庭", domain.RoleOfficer, domain.RoleDeptHead)
	bare := testdb.AddUser(t, db, "bare", "鲁0102", "执行一庭")
	for _, r := range []domain.Role{domain.RoleCommandCenter, domain.RoleBureau} {
		err := db.Update(ctx, domain.ViewerFor(sec, ""), func(tx *store.Tx) error {
			status, err := tx.GrantRole(ctx, u.ID, r, "调整岗位")
			if err == nil && status != domain.GrantPending {
				err = fmt.Errorf("grant of %s %s, want pending", r, status)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	n := oversight.Notice{Kind: oversight.NoticeCaseSupervised, Title: "有一件案件被上级法院督办", Link: "/cases/1", CourtID: u.CourtID}
	notify(t, db, n, u)
	n.Link = "/cases/2"
	notify(t, db, n, u)
	for _, who := range []*domain.User{u, bare} {
		want, err := db.UserByID(ctx, sys, who.ID)
		if err != nil {
			t.Fatal(err)
		}
		var session, token string
		err = db.Update(ctx, sys, func(tx *store.Tx) error {
			if session, err = tx.CreateSession(ctx, who.ID, "127.0.0.1", "test", store.StageFull); err != nil {
				return err
			}
			token, err = tx.CreateAPIToken(ctx, who.Username, "test", 0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		bySession, sess, err := db.SessionUser(ctx, session, time.Hour, 12*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if unread, err := db.UnreadCount(ctx, domain.ViewerFor(who, "")); err != nil || sess.Unread != unread || who == u && unread != 2 {
			t.Errorf("%s's session: %d unread, UnreadCount %d %v", who.Username, sess.Unread, unread, err)
		}
		byToken, err := db.TokenUser(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		for how, got := range map[string]*domain.User{"session": bySession, "token": byToken} {
			if !slices.Equal(got.Roles, want.Roles) || !slices.Equal(got.PendingRoles, want.PendingRoles) {
				t.Errorf("%s's user by %s: roles %v pending %v, want %v pending %v", who.Username, how, got.Roles, got.PendingRoles, want.Roles, want.PendingRoles)
			}
		}
		if who == u && (len(want.Roles) != 2 || len(want.PendingRoles) != 2) {
			t.Errorf("roles %v pending %v: the test's grants did not take", want.Roles, want.PendingRoles)
		}
	}
}
