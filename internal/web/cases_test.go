package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
)

const caseCSV = "\ufeff案号,立案日期,承办人,承办部门,执行标的金额,有无财产可供执行,申请执行人,申请执行人电话,被执行人\n" +
	"（2024）鲁0102执1号,2024-03-01,测试lx.officer,执行一庭,1000,有,王芳,13812345678,某公司\n" +
	"（2024）鲁0102执2号,2024-03-02,测试lx.other,执行二庭,2000,无,赵敏,13900000001,孙丽\n" +
	"（2024）鲁0202执3号,2024-03-03,某人,执行一庭,3000,有,周杰,,吴刚\n" +
	"（2024）鲁0102执4号,不是日期,测试lx.officer,执行一庭,1,有,甲,,乙\n"

func (b *browser) upload(path string, files map[string][]byte) resp {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for field, data := range files {
		w, _ := mw.CreateFormFile(field, field+".csv")
		w.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", b.e.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", b.e.srv.URL)
	return b.do(req)
}

// importCases uploads caseCSV as the command centre and waits for the
// import to finish; it returns the status page.
func importCases(t *testing.T, e *env) (*browser, resp) {
	t.Helper()
	e.startQueue()
	cc := e.browser().loggedIn("lx.cc")
	r := cc.upload("/cases/import", map[string][]byte{"file": []byte(caseCSV)})
	if r.status != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}
	loc := r.header.Get("Location")
	deadline := time.Now().Add(20 * time.Second)
	for {
		r = cc.get(loc)
		if !strings.Contains(r.body, "正在") {
			return cc, r
		}
		if time.Now().After(deadline) {
			t.Fatalf("import did not finish: %s", r.body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func caseUsers(t *testing.T, e *env) {
	testdb.AddUser(t, e.app.DB, "lx.cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	testdb.AddUser(t, e.app.DB, "lx.officer", "鲁0102", "执行一庭", domain.RoleOfficer)
	testdb.AddUser(t, e.app.DB, "lx.other", "鲁0102", "执行二庭", domain.RoleOfficer)
}

func TestCaseImportPage(t *testing.T) {
	e := newEnv(t)
	caseUsers(t, e)
	cc, r := importCases(t, e)
	for _, want := range []string{"导入完成", "新增</dt><dd>2", "拒绝</dt><dd>2", "下载错误报告"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("status page lacks %q:\n%s", want, r.body)
		}
	}
	// The upload waited in the upload directory and goes once the end of
	// its import is recorded.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		left, _ := filepath.Glob(filepath.Join(e.app.Config.UploadDir, "upload-*"))
		if len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("uploads left after an import: %d", len(left))
		}
	}
	id := regexp.MustCompile(`/cases/import/(\d+)/report`).FindStringSubmatch(r.body)
	if id == nil {
		t.Fatal("no report link")
	}
	rep := cc.get("/cases/import/" + id[1] + "/report")
	if !strings.Contains(rep.body, "不是日期") || !strings.Contains(rep.body, "无权导入鲁0202") || !strings.HasPrefix(rep.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("report: %s", rep.body)
	}
	// Another user does not see this import.
	if r := e.browser().loggedIn("lx.officer").get("/cases/import/" + id[1]); r.status != http.StatusNotFound {
		t.Fatalf("officer sees the import: %d", r.status)
	}
	// Officers cannot import.
	if r := e.browser().loggedIn("lx.officer").upload("/cases/import", map[string][]byte{"file": []byte(caseCSV)}); r.status != http.StatusForbidden {
		t.Fatalf("officer import: %d", r.status)
	}
	// A bad file fails with a clear message and writes nothing.
	r = cc.upload("/cases/import", map[string][]byte{"file": []byte("%PDF-1.4 not a table")})
	loc := r.header.Get("Location")
	for i := 0; i < 200; i++ {
		if r = cc.get(loc); !strings.Contains(r.body, "正在") {
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	if !strings.Contains(r.body, "导入失败") || !strings.Contains(r.body, "不是") {
		t.Fatalf("bad file: %s", r.body)
	}
}

func TestCasePagesScopeAndPhones(t *testing.T) {
	e := newEnv(t)
	caseUsers(t, e)
	importCases(t, e)
	ctx := context.Background()
	page, err := e.app.DB.Cases(ctx, domain.SystemViewer("t"), store.CaseFilter{Sort: "number"})
	if err != nil || len(page.Cases) != 2 {
		t.Fatalf("cases: %v %v", page, err)
	}
	mine, theirs := page.Cases[0], page.Cases[1]

	officer := e.browser().loggedIn("lx.officer")
	r := officer.get("/cases")
	if !strings.Contains(r.body, "执1号") || strings.Contains(r.body, "执2号") || !strings.Contains(r.body, "您承办的执行案件") {
		t.Fatalf("officer's list: %s", r.body)
	}
	if r := officer.get(fmt.Sprintf("/cases/%d", theirs.ID)); r.status != http.StatusNotFound {
		t.Fatalf("officer opens a colleague's case: %d", r.status)
	}
	r = officer.get(fmt.Sprintf("/cases/%d", mine.ID))
	if r.status != 200 || !strings.Contains(r.body, "138****5678") || strings.Contains(r.body, "13812345678") || strings.Contains(r.body, "查看完整号码") {
		t.Fatalf("officer's case page: %d", r.status)
	}
	for _, want := range []string{"执行期限", "有财产可供执行案件执结", "2024-09-02", "执行通知", "未见节点"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("case page lacks %q", want)
		}
	}
	k, _ := e.app.DB.CaseByID(ctx, domain.SystemViewer("t"), mine.ID)
	if r := officer.post(fmt.Sprintf("/cases/%d/parties/%d/phone", mine.ID, k.Parties[0].ID), nil); r.status != http.StatusForbidden {
		t.Fatalf("officer reveals a phone: %d", r.status)
	}

	cc := e.browser().loggedIn("lx.cc")
	r = cc.get(fmt.Sprintf("/cases/%d", mine.ID))
	if !strings.Contains(r.body, "查看完整号码") {
		t.Fatal("command centre has no reveal button")
	}
	r = cc.post(fmt.Sprintf("/cases/%d/parties/%d/phone", mine.ID, k.Parties[0].ID), nil)
	if r.status != 200 || !strings.Contains(r.body, "13812345678") {
		t.Fatalf("reveal: %d", r.status)
	}
	recs, _ := e.app.DB.ListAudit(ctx, domain.SystemViewer("t"), store.AuditFilter{Action: "phone.view"})
	if len(recs) != 1 || !strings.Contains(recs[0].Actor, "lx.cc") {
		t.Fatalf("reveal not audited: %+v", recs)
	}
	// Search by any spelling, and the pause ledger through the form.
	if r := cc.get("/cases?q=" + url.QueryEscape("(2024)鲁0102执１号")); !strings.Contains(r.body, "共 1 件") {
		t.Fatalf("search by number")
	}
	r = cc.post(fmt.Sprintf("/cases/%d/pauses", mine.ID), url.Values{"kind": {"审计、评估"}, "start": {"2024-04-01"}, "end": {"2024-04-10"}, "basis": {"评估委托书"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("pause: %d %s", r.status, r.body)
	}
	if r := cc.get(fmt.Sprintf("/cases/%d", mine.ID)); !strings.Contains(r.body, "评估委托书") || !strings.Contains(r.body, "2024-09-11") {
		t.Fatalf("ledger after pause: %s", r.body)
	}
	if r := cc.post(fmt.Sprintf("/cases/%d/pauses", mine.ID), url.Values{"kind": {"暂缓执行"}, "start": {"2024-05-01"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "依据") {
		t.Fatalf("pause without basis: %d", r.status)
	}
	// Beside the pause form's field only, not the extension's of the
	// same name; the dates kept.
	casePage := fmt.Sprintf("/cases/%d", mine.ID)
	r = cc.postFrom(casePage, casePage+"/pauses", url.Values{"_form": {"pause"}, "kind": {"暂缓执行"}, "start": {"2024-05-01"}})
	refilledForm(t, r, casePage, []string{`<p class="field-error" id="err-basis">请填写依据`}, []string{`value="2024-05-01"`, `<option value="暂缓执行" selected>`})
	if n := strings.Count(r.body, `id="err-basis"`); n != 1 {
		t.Errorf("the basis message shows %d times", n)
	}
	r = cc.postFrom(casePage, casePage+"/extensions", url.Values{"_form": {"extension"}, "months": {"40"}, "approved_on": {"2024-06-01"}, "basis": {"院长批准"}})
	refilledForm(t, r, casePage, []string{`<p class="field-error" id="err-months">延长期限应为1至36个月`}, []string{`value="40"`, `value="院长批准"`})
}
