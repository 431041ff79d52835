package store_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// A verification step carries its evidence (issue 14): the files are
// kept with the step in the same transaction, a refused file refuses the
// step, and only those who see the clue — its court's watchdogs and those
// above, not a person it concerns — read them.
func TestClueStepFiles(t *testing.T) {
	db := testdb.Open(t)
	db.Now = func() time.Time { return time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC) }
	grp := domain.ViewerFor(testdb.AddUser(t, db, "grp", "鲁0102", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	above := domain.ViewerFor(testdb.AddUser(t, db, "grp01", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	sup := domain.ViewerFor(testdb.AddUser(t, db, "sup", "鲁0102", "监察室", domain.RoleSupervisionOffice), "")
	named := domain.ViewerFor(testdb.AddUser(t, db, "named", "鲁0102", "监察室", domain.RoleSupervisionOffice), "")
	beside := domain.ViewerFor(testdb.AddUser(t, db, "grp02", "鲁02", "派驻纪检监察组", domain.RoleDisciplineGroup), "")
	bureau := domain.ViewerFor(testdb.AddUser(t, db, "bur", "鲁0102", "执行局", domain.RoleBureau), "")
	off := domain.ViewerFor(testdb.AddUser(t, db, "off", "鲁0102", "执行一庭", domain.RoleOfficer), "")
	id, err := db.RegisterClue(ctx, grp, "鲁0102", oversight.Clue{Source: oversight.SourceOther, SourceRef: "来访", Persons: []string{"off", "named"},
		Summary: "收受财物"}, "sup")
	if err != nil {
		t.Fatal(err)
	}
	on := domain.MustDate("2026-03-02")
	pdf := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 100)...)
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 100)...)
	if err := db.AddClueStep(ctx, sup, id, on, "调取记录", store.FileIn{Name: "a.pdf", Data: pdf}, store.FileIn{Name: "b.txt", Data: []byte("纯文本")}); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("a text file: %v", err)
	}
	if l, _ := db.Clue(ctx, grp, id); len(l.Steps) != 0 || l.State != oversight.ClueOpen {
		t.Fatalf("a refused file kept its step: %+v", l.Steps)
	}
	many := make([]store.FileIn, store.MaxStepFiles+1)
	for i := range many {
		many[i] = store.FileIn{Name: "p.pdf", Data: pdf}
	}
	if err := db.AddClueStep(ctx, sup, id, on, "调取记录", many...); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("too many files: %v", err)
	}
	if err := db.AddClueStep(ctx, grp, id, on, "调取记录", store.FileIn{Name: "a.pdf", Data: pdf}); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("a step by another than the verifier: %v", err)
	}
	if err := db.AddClueStep(ctx, sup, id, on, "调取收支记录", store.FileIn{Name: `D:\核查\流水.pdf`, Data: pdf}, store.FileIn{Name: "现场.png", Data: png}); err != nil {
		t.Fatal(err)
	}
	if err := db.AddClueStep(ctx, sup, id, on, "谈话了解"); err != nil {
		t.Fatal(err)
	}
	l, err := db.Clue(ctx, grp, id)
	if err != nil || len(l.Steps) != 2 || len(l.Steps[0].Files) != 2 || len(l.Steps[1].Files) != 0 {
		t.Fatalf("the steps: %+v %v", l, err)
	}
	f := l.Steps[0].Files[0]
	if f.Name != "流水.pdf" || f.ContentType != "application/pdf" || f.Size != int64(len(pdf)) || f.OwnerKind != "clue_step" {
		t.Errorf("the file: %+v", f)
	}
	for _, c := range []struct {
		name string
		v    domain.Viewer
		err  error
	}{{"the registrar", grp, nil}, {"above", above, nil}, {"the verifier", sup, nil},
		{"the watchdog concerned", named, domain.ErrNotFound}, {"beside", beside, domain.ErrNotFound},
		{"the officer concerned", off, domain.ErrForbidden}, {"the bureau", bureau, domain.ErrForbidden}} {
		a, data, err := db.AttachmentFile(ctx, c.v, f.ID)
		if !errors.Is(err, c.err) || (c.err == nil) != bytes.Equal(data, pdf) || (c.err == nil) != (a != nil) {
			t.Errorf("%s reads the evidence: %v", c.name, err)
		}
	}
}
