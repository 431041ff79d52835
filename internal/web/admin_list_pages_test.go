package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestAdminListPages: the administrators' lists that had a silent bound
// (tokens, reset requests, unmatched officer names) count and page.
func TestAdminListPages(t *testing.T) {
	e := newEnv(t)
	db := e.app.DB
	ctx := context.Background()
	sys := domain.SystemViewer("t")
	testdb.AddUser(t, db, "al.adm", "鲁0102", "信息技术处", domain.RoleAdmin)
	testdb.AddUser(t, db, "al.sec", "鲁0102", "信息技术处", domain.RoleSecurityAdmin)
	var ids []int64
	for i := 0; i < 22; i++ {
		u := testdb.AddUser(t, db, fmt.Sprintf("al.g%02d", i), "鲁0102", "执行局", domain.RoleBureau)
		ids = append(ids, u.ID)
	}
	err := db.Update(ctx, sys, func(tx *store.Tx) error {
		for i, id := range ids {
			if _, err := tx.CreateAPIToken(ctx, fmt.Sprintf("al.g%02d", i), "同步", 0); err != nil {
				return err
			}
			if err := tx.RequestReset(ctx, id, domain.ResetPassword, "忘记密码"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var cases []*domain.Case
	for i := 1; i <= 23; i++ {
		no, _ := domain.ParseCaseNo(fmt.Sprintf("（2026）鲁0102执%d号", i), domain.DefaultCaseTypes)
		cases = append(cases, &domain.Case{No: no, FiledOn: domain.MustDate("2026-01-05"), Officer: fmt.Sprintf("无账户%02d", i), Department: "执行一庭"})
	}
	if err := db.Update(ctx, sys, func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, cases, nil); return err }); err != nil {
		t.Fatal(err)
	}

	adm := e.browser().loggedIn("al.adm")
	if r := adm.get("/admin/tokens?size=20&page=2&sort=user"); !strings.Contains(r.body, "共 22 条，第 21–22 条，第 2/2 页") ||
		!strings.Contains(r.body, "al.g21") || strings.Contains(r.body, "al.g19") {
		t.Errorf("tokens page 2:\n%s", r.body)
	}
	if r := adm.get("/admin/unmatched-officers?size=20&page=2"); !strings.Contains(r.body, "共 23 条，第 21–23 条，第 2/2 页") {
		t.Errorf("unmatched officers page 2:\n%s", r.body)
	}
	sec := e.browser().loggedIn("al.sec")
	r := sec.get("/admin/grants?qsize=20&qpage=2&qsort=user")
	if !strings.Contains(r.body, "共 22 条，第 21–22 条，第 2/2 页") || !strings.Contains(r.body, "al.g21") {
		t.Errorf("pending requests page 2:\n%s", r.body)
	}
	// The recent list pages apart, on one page of 50, its size links
	// keeping the pending list where it is.
	if !strings.Contains(r.body, `<span class="pager-count">共 22 条</span>`) || !strings.Contains(r.body, `href="/admin/grants?qpage=2&amp;qsize=20&amp;qsort=user&amp;rsize=20"`) {
		t.Errorf("recent requests beside page 2 of the pending:\n%s", r.body)
	}
	// One's own tokens page too: al.g00 holds 21.
	err = db.Update(ctx, sys, func(tx *store.Tx) error {
		for i := 0; i < 20; i++ {
			if _, err := tx.CreateAPIToken(ctx, "al.g00", fmt.Sprintf("自用%02d", i), 0); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := e.browser().loggedIn("al.g00").get("/account/tokens?size=20&page=2"); !strings.Contains(r.body, "共 21 条，第 21–21 条，第 2/2 页") || !strings.Contains(r.body, "<td>同步</td>") {
		t.Errorf("own tokens page 2:\n%s", r.body)
	}
}
