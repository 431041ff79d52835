package sms_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/sms"
	"github.com/zhilian/zhilian/internal/sms/smsctest"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/visit"
)

// The texts 济南市历下区人民法院 gives its visit messages, its template IDs
// and its signature, and what the party then reads.
const (
	editedQuestion   = "{法院}执行回访：您的案件{案号}是否执行完毕？您对执行过程是否满意？请回复1表示满意，回复2表示不满意。反馈单：{网址}/v/{链接码}"
	editedCategories = "请选择不满意的事项（可多选）：1 反映消极执行；2 反映执行错误；3 反映执行不廉或作风不正；4 反映外部非正常干预问题。请回复序号。"
	partyQuestion    = "【历下法院】济南市历下区人民法院执行回访：您的案件（2026）鲁0102执1号是否执行完毕？您对执行过程是否满意？请回复1表示满意，回复2表示不满意。反馈单：https://court.example/v/"
	partyCategories  = "【历下法院】" + editedCategories
	publicURL        = "https://court.example"
)

// editedVisit has the court's administrator edit the visit texts, then
// starts a visit of one closed case whose applicant is 13800000001.
func editedVisit(t *testing.T, db *store.DB) visit.Config {
	t.Helper()
	admin := domain.ViewerFor(testdb.AddUser(t, db, "adm0102", "鲁0102", "信息技术处", domain.RoleAdmin), "")
	for name, text := range map[string]string{visit.TemplateQuestionLink: editedQuestion, visit.TemplateCategories: editedCategories} {
		id := map[string]string{visit.TemplateQuestionLink: "100001", visit.TemplateCategories: "100002"}[name]
		if err := db.SaveSMSTemplate(ctx, admin, admin.CourtID, name, text, id); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SaveSMSSignature(ctx, admin, admin.CourtID, "【历下法院】"); err != nil {
		t.Fatal(err)
	}
	cfg := visit.DefaultConfig()
	cfg.PublicURL = publicURL
	no, _ := domain.ParseCaseNo("（2026）鲁0102执1号", domain.DefaultCaseTypes)
	k := &domain.Case{No: no, FiledOn: domain.MustDate("2026-01-05"), ClosedOn: domain.MustDate("2026-10-09"), ClosingMode: "执行完毕",
		Parties: []domain.Party{{Role: domain.Applicant, Name: "王芳", Phone: "13800000001"}}}
	if err := db.Update(ctx, domain.SystemViewer("t"), func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); return err }); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.DrawBatch(ctx, domain.SystemViewer("job"), "鲁0102", "2026-10", visit.DrawRule{Rate: 1, Rounding: "ceil", MinOne: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.StartNewVisits(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// answered waits until the party's two replies are matched to the visit:
// 不满意, then categories 1 and 3, which leave it with the phone.
func answered(t *testing.T, db *store.DB, s *sms.Sender, poke func()) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := s.Step(ctx); err != nil {
			t.Fatal(err)
		}
		if poke != nil {
			poke()
		}
		var matched int
		if err := db.WriteDB().QueryRow("SELECT COUNT(*) FROM sms_inbox WHERE status = 'matched'").Scan(&matched); err != nil {
			t.Fatal(err)
		}
		if matched == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("replies matched: %d, want 2", matched)
		}
		time.Sleep(20 * time.Millisecond)
	}
	vs, err := db.Visits(ctx, domain.SystemViewer("t"), store.VisitFilter{})
	if err != nil || len(vs) != 1 || vs[0].State.Step != visit.StepPhonePending {
		t.Fatalf("visit: %+v %v", vs, err)
	}
}

// linkToken is the party's token in a text sent: what follows /v/.
func linkToken(t *testing.T, text string) string {
	t.Helper()
	_, tok, ok := strings.Cut(text, "/v/")
	if !ok || len(tok) < 40 || strings.Contains(tok, store.LinkMask) {
		t.Fatalf("no usable link in %q", text)
	}
	return tok
}

// A return visit goes through each provider with the court's edited
// texts: SMPP and the HTTP gateway get the text under the signature, as
// the party reads it; Tencent Cloud gets the template IDs, the signature
// and the parameters in the order of the registered text. The party's
// answers come back through each provider's own path and move the visit.
func TestReturnVisitThroughEachProvider(t *testing.T) {
	t.Run("smpp", func(t *testing.T) {
		db := testdb.Open(t)
		editedVisit(t, db)
		smsc := smsctest.Start()
		defer smsc.Close()
		smsc.Answer = func(to, text string) string {
			if strings.Contains(text, "是否执行完毕") {
				return "2"
			}
			return "1 3"
		}
		out := &store.SMSOutbox{DB: db, Visits: visit.DefaultConfig()}
		p := bindSMPP(t, smsc, out, nil)
		answered(t, db, &sms.Sender{Outbox: out, Gateway: p, Config: noQuiet()}, nil)
		got := smsc.Received()
		if len(got) != 2 || !strings.HasPrefix(got[0].Text, partyQuestion) || got[1].Text != partyCategories || got[0].To != "8613800000001" {
			t.Fatalf("the SMSC received %+v", got)
		}
		linkToken(t, got[0].Text)
	})

	t.Run("http", func(t *testing.T) {
		db := testdb.Open(t)
		editedVisit(t, db)
		var mu sync.Mutex
		var posted []map[string]any
		gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			if r.Header.Get("X-Zhilian-Signature") != sms.Sign(secret, r.Header.Get("X-Zhilian-Timestamp"), r.Header.Get("X-Zhilian-Nonce"), body) {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			var m map[string]any
			json.Unmarshal(body, &m)
			mu.Lock()
			posted = append(posted, m)
			n := len(posted)
			mu.Unlock()
			json.NewEncoder(w).Encode(map[string]any{"id": fmt.Sprintf("h%d", n)})
		}))
		defer gw.Close()
		p, err := sms.NewHTTP(sms.HTTPConfig{URL: gw.URL, Secret: secret}, gw.Client())
		if err != nil {
			t.Fatal(err)
		}
		out := &store.SMSOutbox{DB: db, Visits: visit.DefaultConfig()}
		inbound := httptest.NewServer(p.Inbound(out, out))
		defer inbound.Close()
		replied := 0
		answered(t, db, &sms.Sender{Outbox: out, Gateway: p, Config: noQuiet()}, func() {
			mu.Lock()
			n := len(posted)
			mu.Unlock()
			for ; replied < n; replied++ {
				text := map[int]string{0: "2", 1: "1 3"}[replied]
				body := fmt.Appendf(nil, `{"events":[{"type":"receipt","id":"h%d","state":"delivered"},{"type":"reply","from":"13800000001","text":%q}]}`, replied+1, text)
				if code := signed(t, inbound.URL, body, time.Now(), fmt.Sprint("n", replied), secret); code != 200 {
					t.Fatalf("inbound: %d", code)
				}
			}
		})
		if len(posted) != 2 || !strings.HasPrefix(posted[0]["text"].(string), partyQuestion) || posted[1]["text"] != partyCategories ||
			posted[0]["template_id"] != "100001" || posted[1]["template"] != visit.TemplateCategories {
			t.Fatalf("the gateway got %+v", posted)
		}
		linkToken(t, posted[0]["text"].(string))
	})

	t.Run("tencent", func(t *testing.T) {
		db := testdb.Open(t)
		editedVisit(t, db)
		api, p := newTencent(t, tcKey)
		out := &store.SMSOutbox{DB: db, Visits: visit.DefaultConfig()}
		remote := func(r *http.Request) string { h, _, _ := strings.Cut(r.RemoteAddr, ":"); return h }
		status := httptest.NewServer(p.StatusCallback(out, remote))
		defer status.Close()
		reply := httptest.NewServer(p.ReplyCallback(out, remote))
		defer reply.Close()
		replied := 0
		answered(t, db, &sms.Sender{Outbox: out, Gateway: p, Config: noQuiet()}, func() {
			for n := len(api.requests()); replied < n; replied++ {
				r := fmt.Sprintf(`[{"user_receive_time":"2026-11-02 10:03:04","nationcode":"86","mobile":"13800000001","report_status":"SUCCESS","errmsg":"DELIVRD","description":"用户短信送达成功","sid":"2433:%d"}]`, replied+1)
				if code, _ := post(t, status.URL+"?token="+tcToken, r); code != 200 {
					t.Fatalf("status callback: %d", code)
				}
				text := map[int]string{0: "不满意", 1: "1，3"}[replied]
				if code, _ := post(t, reply.URL+"?token="+tcToken, fmt.Sprintf(`{"extend":"","mobile":"13800000001","nationcode":"86","sign":"历下法院","text":%q,"time":%d}`, text, time.Now().Unix())); code != 200 {
					t.Fatalf("reply callback: %d", code)
				}
			}
		})
		got := api.requests()
		if len(got) != 2 || len(api.badSigs) != 0 {
			t.Fatalf("requests %+v, refused %q", got, api.badSigs)
		}
		q, c := got[0], got[1]
		if q.TemplateId != "100001" || q.SignName != "历下法院" || len(q.TemplateParamSet) != 3 ||
			q.TemplateParamSet[0] != "济南市历下区人民法院" || q.TemplateParamSet[1] != "（2026）鲁0102执1号" {
			t.Fatalf("question: %+v", q)
		}
		linkToken(t, "/v/"+q.TemplateParamSet[2])
		if c.TemplateId != "100002" || c.SignName != "历下法院" || len(c.TemplateParamSet) != 0 {
			t.Fatalf("categories: %+v", c)
		}
		var delivered int
		if err := db.WriteDB().QueryRow("SELECT COUNT(*) FROM sms_outbox WHERE status = 'delivered'").Scan(&delivered); err != nil || delivered != 2 {
			t.Fatalf("delivered %d %v", delivered, err)
		}
		// What the court registers with Tencent for the question: the
		// parameters numbered in order, the address written out.
		tp, _ := store.SMSTemplateNamed(visit.TemplateQuestionLink)
		if reg := tp.Registration(editedQuestion, map[string]string{visit.VarURL: publicURL}); reg !=
			"{1}执行回访：您的案件{2}是否执行完毕？您对执行过程是否满意？请回复1表示满意，回复2表示不满意。反馈单：https://court.example/v/{3}" {
			t.Fatalf("registration text %q", reg)
		}
	})
}
