package main

import (
	"context"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/app"
	"github.com/zhilian/zhilian/internal/crypto"
	"github.com/zhilian/zhilian/internal/demo"
	"github.com/zhilian/zhilian/internal/store"
)

// demoPublicURL checks, on a running demo at base, that the party's
// one-time link in a question opens from the demo's own address, that
// every batch but one is drawn at the document's 5 %, and that the one
// enlarged batch says 演示用扩大抽样 on its page (cc: the flagship court's
// command centre).
func demoPublicURL(t *testing.T, base, dir string, cc *http.Client) {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(dir, "zhilian.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var body, sealed string
	if err := db.WriteDB().QueryRow("SELECT body, link_sealed FROM sms_outbox WHERE kind = 'question' AND link_sealed <> '' ORDER BY id LIMIT 1").Scan(&body, &sealed); err != nil {
		t.Fatalf("no question with a party link: %v", err)
	}
	if !strings.Contains(body, base+"/v/") {
		t.Errorf("the question's link is not under the demo's address %s: %s", base, body)
	}
	res, err := http.Get(base + "/v/" + openDemoSealed(t, dir, sealed))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("the party's link %s/v/… answers %d", base, res.StatusCode)
	}

	var other, enlarged int
	var enlargedID int64
	if err := db.WriteDB().QueryRow("SELECT COUNT(*) FROM visit_batches WHERE rate <> '0.05'").Scan(&other); err != nil {
		t.Fatal(err)
	}
	err = db.WriteDB().QueryRow("SELECT COUNT(*), COALESCE(MAX(b.id), 0) FROM visit_batches b JOIN courts c ON c.id = b.court_id WHERE c.code = ? AND b.rate = ?",
		demo.FlagshipCourt, strconv.FormatFloat(demo.EnlargedRate, 'f', -1, 64)).Scan(&enlarged, &enlargedID)
	if err != nil {
		t.Fatal(err)
	}
	if other != 1 || enlarged != 1 {
		t.Fatalf("batches above 5%%: %d, the flagship's enlarged batch: %d", other, enlarged)
	}
	if page := getBody(t, cc, base+"/visit-batches/"+itoa(enlargedID)); !strings.Contains(page, "演示用扩大抽样") {
		t.Error("the enlarged batch's page does not say 演示用扩大抽样")
	}
	var ordinary int64
	if err := db.WriteDB().QueryRow("SELECT MIN(id) FROM visit_batches WHERE rate = '0.05'").Scan(&ordinary); err != nil {
		t.Fatal(err)
	}
	if page := getBody(t, cc, base+"/visit-batches/"+itoa(ordinary)); strings.Contains(page, "演示用扩大抽样") {
		t.Error("a batch at 5% is labelled enlarged")
	}
}

// openDemoSealed opens a value the demo in dir sealed with its master key
// (a party's link token).
func openDemoSealed(t *testing.T, dir, sealed string) string {
	t.Helper()
	master, err := app.MasterKey(app.Config{DB: filepath.Join(dir, "zhilian.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := crypto.NewKeys(master)
	if err != nil {
		t.Fatal(err)
	}
	token, err := keys.Open(sealed)
	if err != nil {
		t.Fatal(err)
	}
	return token
}
