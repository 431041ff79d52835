package store_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
)

var planPDF = []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")

// Issue 16, the plan's attachments: the group adds them in 筹备, after the
// right is checked and the file sniffed; whoever sees the whole campaign
// lists and downloads them; a court in scope, an officer with a finding
// about him and a court beside get "not found"; nobody adds one once the
// campaign is carried out.
func TestInspectionPlanFiles(t *testing.T) {
	f := newInspectionFixture(t)
	db := f.db
	aid, err := db.AddInspectionPlanFile(ctx, f.group, f.id, store.FileIn{Name: `C:\方案\工作方案.pdf`, Data: planPDF})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddInspectionPlanFile(ctx, f.leader, f.id, store.FileIn{Name: "方案.txt", Data: []byte("纯文本")}); fieldMsg(err, "file") == "" {
		t.Fatalf("a text file kept: %v", err)
	}
	if _, err := db.AddInspectionPlanFile(ctx, f.leader, f.id, store.FileIn{}); fieldMsg(err, "file") == "" {
		t.Fatalf("no file kept: %v", err)
	}
	// Outside the group nobody adds one, whatever he sees of the campaign.
	for _, c := range []struct {
		v    domain.Viewer
		want error
	}{{f.outsider, domain.ErrForbidden}, {f.above, domain.ErrForbidden}, {f.bureau0102, domain.ErrForbidden}, {f.officer, domain.ErrNotFound}, {f.beside, domain.ErrNotFound}} {
		if _, err := db.AddInspectionPlanFile(ctx, c.v, f.id, store.FileIn{Name: "x.pdf", Data: planPDF}); !errors.Is(err, c.want) {
			t.Errorf("%s adds a plan file: %v", c.v.Username, err)
		}
	}
	// A finding about the officer lets him see that part of the campaign,
	// and still not its plan.
	if _, err := db.DrawInspection(ctx, f.group, f.id); err != nil {
		t.Fatal(err)
	}
	ts, err := db.InspectionTargets(ctx, f.leader, f.id)
	if err != nil || len(ts) == 0 {
		t.Fatalf("targets %d: %v", len(ts), err)
	}
	if _, err := db.WriteDB().Exec(fmt.Sprintf(`INSERT INTO inspection_findings (campaign_id, target_id, court_id, officer_id, category, severity, text, answer_due, created_at)
		SELECT campaign_id, id, court_id, %d, '其他', 'minor', '测试', '2099-01-01', created_at FROM inspection_targets WHERE id = %d`, f.officer.UserID, ts[0].ID)); err != nil {
		t.Fatal(err)
	}
	if in, err := db.Inspection(ctx, f.officer, f.id); err != nil || in.Full {
		t.Fatalf("the officer named by a finding: %+v %v", in, err)
	}
	for _, c := range []struct {
		v   domain.Viewer
		see bool
	}{{f.leader, true}, {f.group, true}, {f.outsider, true}, {f.above, true}, {f.bureau0102, false}, {f.officer, false}, {f.beside, false}} {
		files, err := db.InspectionPlanFiles(ctx, c.v, f.id)
		if c.see && (err != nil || len(files) != 1 || files[0].Name != "工作方案.pdf" || files[0].ContentType != "application/pdf" || len(files[0].SHA256) != 64) {
			t.Errorf("%s lists %+v: %v", c.v.Username, files, err)
		}
		if !c.see && (!errors.Is(err, domain.ErrNotFound) || files != nil) {
			t.Errorf("%s lists the plan's files: %v", c.v.Username, err)
		}
		a, data, err := db.AttachmentFile(ctx, c.v, aid)
		if c.see && (err != nil || a.OwnerKind != "inspection_plan" || string(data) != string(planPDF)) {
			t.Errorf("%s downloads: %v", c.v.Username, err)
		}
		if !c.see && (!errors.Is(err, domain.ErrNotFound) || data != nil) {
			t.Errorf("%s downloads the plan's file: %v", c.v.Username, err)
		}
	}
	var audited int
	if err := db.WriteDB().QueryRow("SELECT COUNT(*) FROM audit_log WHERE action = 'attachment.add' AND object_type = 'inspection'").Scan(&audited); err != nil || audited != 1 {
		t.Errorf("audited %d: %v", audited, err)
	}
	// Carried out, the plan is closed.
	if _, err := db.WriteDB().Exec(fmt.Sprintf("UPDATE inspection_campaigns SET state = 'active' WHERE id = %d", f.id)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddInspectionPlanFile(ctx, f.group, f.id, store.FileIn{Name: "补充.pdf", Data: planPDF}); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("a plan file in 实施: %v", err)
	}
}
