package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/testdb"
)

// postStep posts a verification step with its files as the page's form
// does (multipart).
func (b *browser) postStep(path string, fields map[string]string, files map[string][]byte) resp {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for name, data := range files {
		w, _ := mw.CreateFormFile("file", name)
		w.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", b.e.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", b.e.srv.URL)
	return b.do(req)
}

// The verifier uploads evidence with a step on the clue's page; the clue's
// watchdogs list and download it there, and neither the officer the clue
// concerns, nor the watchdog it concerns, nor the bureau, gets the file.
func TestClueStepFilePages(t *testing.T) {
	e := newEnv(t)
	db := e.app.DB
	ctx := context.Background()
	grp := domain.ViewerFor(testdb.AddUser(t, db, "cf.grp", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	testdb.AddUser(t, db, "cf.sup", "鲁01", "监察室", domain.RoleSupervisionOffice)
	testdb.AddUser(t, db, "cf.named", "鲁0102", "监察室", domain.RoleSupervisionOffice)
	testdb.AddUser(t, db, "cf.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	testdb.AddUser(t, db, "cf.bur", "鲁0102", "执行局", domain.RoleBureau)
	id, err := db.RegisterClue(ctx, grp, "鲁0102", oversight.Clue{Source: oversight.SourceOther, SourceRef: "来访", Persons: []string{"cf.off", "cf.named"},
		Summary: "收受财物"}, "cf.sup")
	if err != nil {
		t.Fatal(err)
	}
	clue := "/clues/" + strconv64(id)
	today := domain.DateOf(db.Now(), domain.Beijing).String()
	sup := e.browser().loggedIn("cf.sup")
	if r := sup.get(clue); !strings.Contains(r.body, `enctype="multipart/form-data"`) || !strings.Contains(r.body, `name="file"`) {
		t.Fatalf("the step form takes no file: %d", r.status)
	}
	if r := sup.postStep(clue+"/steps", map[string]string{"step_on": today, "step_note": "调取收支记录"}, map[string][]byte{"说明.txt": []byte("纯文本")}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "只能上传PDF、图片或Office文档") {
		t.Fatalf("a text file: %d", r.status)
	}
	pdf := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 64)...)
	if r := sup.postStep(clue+"/steps", map[string]string{"step_on": today, "step_note": "调取收支记录"}, map[string][]byte{"银行流水.pdf": pdf}); r.status != http.StatusSeeOther {
		t.Fatalf("a step with its evidence: %d %s", r.status, r.body)
	}
	// A step without a file, from the same form, is fine.
	if r := sup.postStep(clue+"/steps", map[string]string{"step_on": today, "step_note": "谈话了解"}, nil); r.status != http.StatusSeeOther {
		t.Fatalf("a step without a file: %d %s", r.status, r.body)
	}
	g := e.browser().loggedIn("cf.grp")
	r := g.get(clue)
	m := regexp.MustCompile(`href="(/attachments/\d+)">银行流水.pdf</a>`).FindStringSubmatch(r.body)
	if m == nil || !strings.Contains(r.body, "谈话了解") {
		t.Fatalf("the clue's page lists no evidence: %d", r.status)
	}
	file := m[1]
	if r := g.get(file); r.status != 200 || r.body != string(pdf) || r.header.Get("Content-Type") != "application/pdf" {
		t.Errorf("the registrar downloads: %d %q", r.status, r.header.Get("Content-Type"))
	}
	for who, want := range map[string]int{"cf.off": http.StatusForbidden, "cf.bur": http.StatusForbidden, "cf.named": http.StatusNotFound} {
		b := e.browser().loggedIn(who)
		if r := b.get(file); r.status != want || strings.Contains(r.body, "%PDF") {
			t.Errorf("%s downloads the evidence: %d", who, r.status)
		}
		if r := b.get(clue); r.status == 200 || strings.Contains(r.body, "银行流水") {
			t.Errorf("%s reads the clue: %d", who, r.status)
		}
	}
}
