package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// Issue 14: GET /api/v1/clues answers as the pages do — the roles
// outside the watchdogs are refused, and a watchdog, who signs in with a
// second factor, holds no API token.
func TestCluesAPI(t *testing.T) {
	e := newEnv(t)
	db := e.app.DB
	testdb.AddUser(t, db, "ac.bureau", "鲁0102", "执行局", domain.RoleBureau)
	testdb.AddUser(t, db, "ac.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	testdb.AddUser(t, db, "ac.grp", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup)
	for _, u := range []string{"ac.bureau", "ac.off"} {
		if status, body := e.call("GET", "/api/v1/clues", e.token(u), ""); status != http.StatusForbidden || body["error"] != "forbidden" {
			t.Errorf("%s lists clues: %d %v", u, status, body)
		}
	}
	err := db.Update(context.Background(), domain.SystemViewer("t"), func(tx *store.Tx) error {
		_, err := tx.CreateAPIToken(context.Background(), "ac.grp", "test", 0)
		return err
	})
	if err == nil {
		t.Errorf("a watchdog got an API token")
	}
}
