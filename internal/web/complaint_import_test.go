package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

// Complaints and petitions come in from a CSV file too (issue 14): the
// good rows are entered as on the page, a bad row is reported with its
// row and reason, and the file's petitions count for 反映强烈.
func TestComplaintImport(t *testing.T) {
	e := newEnv(t)
	db := e.app.DB
	ctx := context.Background()
	testdb.AddUser(t, db, "ci.cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	testdb.AddUser(t, db, "ci.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	no, _ := domain.ParseCaseNo("（2026）鲁0102执9号", domain.DefaultCaseTypes)
	k := &domain.Case{No: no, FiledOn: domain.MustDate("2026-01-05"), Officer: "测试ci.off", Department: "执行一庭"}
	if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); return err }); err != nil {
		t.Fatal(err)
	}
	csv := "类型,来源渠道,收到日期,反映人,联系电话,案号,反映内容,涉及事项,信访层级,第几次\n" +
		"投诉举报,12368热线,2026-11-02,王芳,13800000009,（2026）鲁0102执9号,反映案款迟迟未发放,1,,\n" +
		"信访,来访,2026-11-05,王芳,13800000009,（2026）鲁0102执9号,再次反映案款问题,1,上级法院,第2次\n" +
		"投诉举报,飞鸽传书,2026-11-06,李四,,,内容,,,\n" +
		"信访,来信,2026-11-07,赵六,,（2026）鲁0102执999号,反映执行慢,,本院,1\n"
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("court", "鲁0102")
	fw, _ := mw.CreateFormFile("file", "信访登记.csv")
	fw.Write([]byte(csv))
	mw.Close()
	cc := e.browser().loggedIn("ci.cc")
	req, _ := http.NewRequest("POST", e.srv.URL+"/complaints/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", e.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	r := cc.do(req)
	if r.status != 200 || !strings.Contains(r.body, "共 4 行，导入 2 件，拒绝 2 行") {
		t.Fatalf("import: %d %s", r.status, r.body)
	}
	// Row 4's channel and row 5's case are refused with their reasons.
	for _, want := range []string{"<td class=\"col-num\">4</td>", "<td class=\"col-num\">5</td>", "执999号"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the result lacks %q", want)
		}
	}
	list := cc.get("/complaints")
	if !strings.Contains(list.body, "共 2 件") || !strings.Contains(list.body, "反映强烈") {
		t.Fatalf("the list after the import: %s", list.body)
	}
	if r := e.browser().loggedIn("ci.off").get("/complaints"); r.status != http.StatusForbidden && strings.Contains(r.body, "案款") {
		t.Fatalf("the case's officer reads the imported complaints: %d", r.status)
	}
}
