package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/testdb"
)

// TestHelpPages: a page per mechanism quotes the document's clause word
// for word, draws the steps and says who does what; the mechanism's pages
// and the navigation link to it.
func TestHelpPages(t *testing.T) {
	e := newEnv(t)
	testdb.AddUser(t, e.app.DB, "h.off", "鲁0102", "执行一庭", domain.RoleOfficer)
	b := e.browser().loggedIn("h.off")
	for topic, quote := range map[string][]string{
		"tracking":    {"一、重点案件跟踪机制", "由执行局、纪检监察组、监察室进行会商后，分别派员组成工作小组，对确定的重点案件实施跟踪监督。"},
		"visits":      {"执行局执行指挥中心每月随机选取 5% 的执结案件，通过系统平台向当事人发送是否满意的短信", "对当事人短信回复“不满意”或“不知道”的案件,由执行局执行指挥中心电话回访;"},
		"inspections": {"三、专项督察评查机制", "执行局、派驻纪检监察组、监察室可以就专项工作成立工作组,联合开展专项督察评查活动"},
		"trips":       {"到异地（本法院辖区之外）执行任务的，均应报告。", "6. 是否存在借工作之机要求有关单位、人员处理个人费用、办理个人私事或提出其他与工作无关的要求等谋取私利行为；"},
		"oversight":   {"2. 用好“四种形态”。", "对发现的违法违纪问题线索，派驻纪检监察组、监察室依规依纪进行核查处理。"},
	} {
		r := b.get("/help/" + topic)
		if r.status != http.StatusOK {
			t.Fatalf("/help/%s: %d", topic, r.status)
		}
		for _, q := range quote {
			if !strings.Contains(r.body, q) {
				t.Errorf("/help/%s does not quote %q", topic, q)
			}
		}
		if n := strings.Count(r.body, `class="help-step"`); n < 4 {
			t.Errorf("/help/%s draws %d steps", topic, n)
		}
		if !strings.Contains(r.body, `<th scope="row">`) {
			t.Errorf("/help/%s says nothing of who does what", topic)
		}
	}
	if r := b.get("/help/nothing"); r.status != http.StatusNotFound {
		t.Errorf("/help/nothing: %d", r.status)
	}
	r := b.get("/trips")
	if !strings.Contains(r.body, `href="/help/trips"`) || !strings.Contains(r.body, `href="/help"`) {
		t.Error("the trips page links neither its help nor the help index")
	}
	if r := b.get("/help"); !strings.Contains(r.body, `href="/help/visits"`) || !strings.Contains(r.body, `href="/help/start"`) {
		t.Error("the help index lacks its topics")
	}
	if r := b.get("/help/start"); !strings.Contains(r.body, domain.RoleOfficer.Label()) || !strings.Contains(r.body, `href="/trips/new"`) {
		t.Errorf("the officer's start page: %s", r.body)
	}
}

// TestFirstLoginPage: after the first successful sign-in the home page
// says where the user's roles start, once; not at the next page, not at
// the next sign-in.
func TestFirstLoginPage(t *testing.T) {
	e := newEnv(t)
	testdb.AddUser(t, e.app.DB, "h.cc", "鲁0102", "执行指挥中心", domain.RoleCommandCenter)
	b := e.browser().loggedIn("h.cc")
	r := b.get("/")
	if !strings.Contains(r.body, "welcome-card") || !strings.Contains(r.body, `href="/visit-batches"`) {
		t.Fatalf("the first home page has no start: %s", r.body)
	}
	if r := b.get("/"); strings.Contains(r.body, "welcome-card") {
		t.Error("the start is shown twice")
	}
	if r := e.browser().loggedIn("h.cc").get("/"); strings.Contains(r.body, "welcome-card") {
		t.Error("the start is shown at the second sign-in")
	}
}
