package testdb

import (
	"context"
	"testing"

	"github.com/zhilian/zhilian/internal/auth"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
)

// Password is the password of every user AddUser makes.
const Password = "Passw0rd!"

// CheapParams make argon2id fast enough for tests; hashes record their own
// parameters, so logins check them like any other.
var CheapParams = auth.Params{Memory: 1024, Time: 1, Threads: 1}

// AddUser adds a user with Password at the given court and department.
func AddUser(t testing.TB, db *store.DB, username, court, dept string, roles ...domain.Role) *domain.User {
	t.Helper()
	u := &domain.User{Username: username, Name: "测试" + username, CourtCode: court, Department: dept, Roles: roles}
	hash := auth.HashPassword(Password, CheapParams)
	err := db.Update(context.Background(), domain.SystemViewer("test"), func(tx *store.Tx) error {
		return tx.CreateUser(context.Background(), u, hash)
	})
	if err != nil {
		t.Fatalf("adding user %s: %v", username, err)
	}
	return u
}
