package sms_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/sms"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/visit"
)

const (
	tcID, tcKey, tcApp, tcToken = "AKIDtest0001", "tencent-secret-key", "1400000001", "cb-token-for-tests"
)

// sendSms is a SendSms request as the API reads it.
type sendSms struct {
	PhoneNumberSet   []string
	SmsSdkAppId      string
	SignName         string
	TemplateId       string
	TemplateParamSet []string
	SessionContext   string
}

// tencentAPI plays Tencent Cloud's SMS API on a loopback port: it checks
// each request's TC3-HMAC-SHA256 signature as Tencent documents it
// (recomputed here, not by the SDK), the action, version and region, and
// answers in the API's format. fault, by the number sent to, gives an
// error code for the whole request ("req:Code"), for the number alone
// ("num:Code"), an HTTP status ("http:502") or a dropped connection
// ("drop").
type tencentAPI struct {
	mu      sync.Mutex
	got     []sendSms
	badSigs []string
	fault   map[string]string
	serial  int
}

func (a *tencentAPI) fail(w http.ResponseWriter, why string) {
	a.badSigs = append(a.badSigs, why)
	json.NewEncoder(w).Encode(map[string]any{"Response": map[string]any{
		"Error": map[string]string{"Code": "AuthFailure.SignatureFailure", "Message": why}, "RequestId": "r-bad"}})
}

func hmacSHA256(key []byte, s string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(s))
	return m.Sum(nil)
}

func sha256hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// tc3Refusal checks a request's Authorization as Tencent Cloud documents
// 签名方法 v3 (TC3-HMAC-SHA256), over the headers the client names in
// SignedHeaders rather than a list fixed here: the canonical request
// (method, URI "/", the query, each signed header as "name:value" lower
// case and trimmed, in the ASCII order of the names, content-type and
// host among them, the names joined by ";", the payload's SHA-256), the
// string to sign (algorithm, timestamp, credential scope
// date/service/tc3_request, the canonical request's SHA-256), and the
// key derived from "TC3"+SecretKey by the UTC date of the timestamp, the
// service and "tc3_request". It returns why the request is refused, or
// "" when the signature holds.
func tc3Refusal(r *http.Request, body []byte, secretID, secretKey, service string) string {
	auth := r.Header.Get("Authorization")
	alg, rest, ok := strings.Cut(auth, " ")
	if !ok || alg != "TC3-HMAC-SHA256" {
		return "algorithm: " + auth
	}
	fields := map[string]string{}
	for _, f := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(f), "=")
		fields[k] = v
	}
	ts := r.Header.Get("X-TC-Timestamp")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || time.Since(time.Unix(sec, 0)).Abs() > 5*time.Minute {
		return "timestamp " + ts
	}
	date := time.Unix(sec, 0).UTC().Format("2006-01-02")
	scope := date + "/" + service + "/tc3_request"
	if fields["Credential"] != secretID+"/"+scope {
		return "credential " + fields["Credential"]
	}
	signed := strings.Split(fields["SignedHeaders"], ";")
	if !slices.Contains(signed, "content-type") || !slices.Contains(signed, "host") || !slices.IsSorted(signed) {
		return "signed headers " + fields["SignedHeaders"]
	}
	var headers strings.Builder
	for _, h := range signed {
		v := r.Header.Get(h)
		if h == "host" {
			v = r.Host
		}
		headers.WriteString(h + ":" + strings.ToLower(strings.TrimSpace(v)) + "\n")
	}
	canonical := r.Method + "\n/\n" + r.URL.RawQuery + "\n" + headers.String() + "\n" + fields["SignedHeaders"] + "\n" + sha256hex(body)
	toSign := "TC3-HMAC-SHA256\n" + ts + "\n" + scope + "\n" + sha256hex([]byte(canonical))
	k := hmacSHA256([]byte("TC3"+secretKey), date)
	k = hmacSHA256(k, service)
	k = hmacSHA256(k, "tc3_request")
	if want := hex.EncodeToString(hmacSHA256(k, toSign)); !hmac.Equal([]byte(fields["Signature"]), []byte(want)) {
		return "signature " + fields["Signature"]
	}
	return ""
}

func (a *tencentAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case r.Method != http.MethodPost || r.URL.Path != "/":
		a.fail(w, "method or path "+r.Method+" "+r.URL.Path)
		return
	case r.Header.Get("X-TC-Action") != "SendSms" || r.Header.Get("X-TC-Version") != "2021-01-11" || r.Header.Get("X-TC-Region") != "ap-guangzhou":
		a.fail(w, "action, version or region")
		return
	}
	if why := tc3Refusal(r, body, tcID, tcKey, "sms"); why != "" {
		a.fail(w, why)
		return
	}
	var req sendSms
	if err := json.Unmarshal(body, &req); err != nil || len(req.PhoneNumberSet) != 1 || req.SmsSdkAppId != tcApp {
		json.NewEncoder(w).Encode(map[string]any{"Response": map[string]any{
			"Error": map[string]string{"Code": "InvalidParameter", "Message": "bad body"}, "RequestId": "r-body"}})
		return
	}
	a.got = append(a.got, req)
	to := strings.TrimPrefix(req.PhoneNumberSet[0], "+86")
	f := a.fault[to]
	switch {
	case f == "drop":
		c, _, _ := w.(http.Hijacker).Hijack()
		c.Close()
		return
	case strings.HasPrefix(f, "http:"):
		code, _ := strconv.Atoi(strings.TrimPrefix(f, "http:"))
		w.WriteHeader(code)
		w.Write([]byte("<html>gateway</html>"))
		return
	case strings.HasPrefix(f, "req:"):
		json.NewEncoder(w).Encode(map[string]any{"Response": map[string]any{
			"Error": map[string]string{"Code": strings.TrimPrefix(f, "req:"), "Message": "refused"}, "RequestId": "r-err"}})
		return
	}
	code, msg := "Ok", "send success"
	if strings.HasPrefix(f, "num:") {
		code, msg = strings.TrimPrefix(f, "num:"), "refused"
	}
	a.serial++
	json.NewEncoder(w).Encode(map[string]any{"Response": map[string]any{
		"SendStatusSet": []map[string]any{{"SerialNo": fmt.Sprintf("2433:%d", a.serial), "PhoneNumber": req.PhoneNumberSet[0], "Fee": 1,
			"SessionContext": req.SessionContext, "Code": code, "Message": msg, "IsoCode": "CN"}},
		"RequestId": "r-" + strconv.Itoa(a.serial)}})
}

func (a *tencentAPI) requests() []sendSms {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]sendSms(nil), a.got...)
}

func newTencent(t *testing.T, key string) (*tencentAPI, *sms.Tencent) {
	t.Helper()
	api := &tencentAPI{fault: map[string]string{}}
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	p, err := sms.NewTencent(sms.TencentConfig{SecretID: tcID, SecretKey: key, SdkAppID: tcApp, Endpoint: srv.URL, Timeout: 3 * time.Second, CallbackToken: tcToken})
	if err != nil {
		t.Fatal(err)
	}
	return api, p
}

// The provider's requests are SendSms, version 2021-01-11, signed
// TC3-HMAC-SHA256 as the API checks it, with the application, the
// signature, the template ID and its parameters; each error code the API
// answers is a permanent or a temporary failure as its meaning says, and
// an answer lost on the way is neither.
func TestTencentSendSigned(t *testing.T) {
	api, p := newTencent(t, tcKey)
	m := sms.Message{To: "13800000001", Key: "k1", Template: "visit.question", TemplateID: "2001", Sign: "历下法院", Params: []string{"济南市历下区人民法院", "（2026）鲁0102执1号"}}
	ids, err := p.Send(ctx, m)
	if err != nil || len(ids) != 1 || ids[0] != "2433:1" {
		t.Fatalf("send: %v %v; API refused %q", ids, err, api.badSigs)
	}
	got := api.requests()[0]
	if got.PhoneNumberSet[0] != "+8613800000001" || got.SignName != "历下法院" || got.TemplateId != "2001" ||
		strings.Join(got.TemplateParamSet, "|") != "济南市历下区人民法院|（2026）鲁0102执1号" || got.SessionContext != "k1" {
		t.Fatalf("request %+v", got)
	}
	for _, tt := range []struct {
		fault string
		want  string // permanent, temporary, ambiguous
	}{
		{"req:FailedOperation.TemplateIncorrectOrUnapproved", "permanent"},
		{"req:FailedOperation.SignatureIncorrectOrUnapproved", "permanent"},
		{"num:InvalidParameterValue.IncorrectPhoneNumber", "permanent"},
		{"num:FailedOperation.PhoneNumberInBlacklist", "permanent"},
		{"num:LimitExceeded.PhoneNumberDailyLimit", "temporary"},
		{"req:LimitExceeded.DeliveryFrequencyLimit", "temporary"},
		{"req:InternalError.Timeout", "temporary"},
		{"req:RequestLimitExceeded", "temporary"},
		{"req:FailedOperation.InsufficientBalanceInSmsPackage", "temporary"},
		{"num:InvalidParameterValue.ProhibitedUseUrlInTemplateParameter", "permanent"},
		{"req:InvalidParameterValue.ContentLengthLimit", "permanent"},
		// The installation's application, not the message: a wrong
		// --sms-tencent-app must not throw every waiting visit to the phone.
		{"req:InvalidParameterValue.SdkAppIdNotExist", "temporary"},
		{"req:UnauthorizedOperation.SmsSdkAppIdVerifyFail", "temporary"},
		{"req:UnauthorizedOperation.SdkAppIdIsDisabled", "temporary"},
		{"http:503", "temporary"},
		{"http:502", "ambiguous"},
		{"drop", "ambiguous"},
	} {
		api.mu.Lock()
		api.fault["13800000002"] = tt.fault
		api.mu.Unlock()
		_, err := p.Send(ctx, sms.Message{To: "13800000002", Key: "k2", Template: "visit.question", TemplateID: "2001", Sign: "历下法院", Params: m.Params})
		got := "temporary"
		switch {
		case err == nil:
			got = "sent"
		case sms.IsPermanent(err):
			got = "permanent"
		case sms.IsAmbiguous(err):
			got = "ambiguous"
		}
		if got != tt.want {
			t.Errorf("%s: %s (%v), want %s", tt.fault, got, err, tt.want)
		}
	}
	if _, err := p.Send(ctx, sms.Message{To: "13800000003", Key: "k3", Template: "visit.question", Sign: "历下法院"}); !sms.IsPermanent(err) || !strings.Contains(err.Error(), "模板ID") {
		t.Errorf("no template ID: %v", err)
	}
	if len(api.badSigs) != 0 {
		t.Fatalf("the API refused the SDK's signature: %q", api.badSigs)
	}
	// A wrong key: the API's own check refuses it, a temporary failure
	// (the key is the installation's, which an administrator mends).
	api2, wrong := newTencent(t, "not-the-key")
	if _, err := wrong.Send(ctx, m); err == nil || sms.IsPermanent(err) || sms.IsAmbiguous(err) || len(api2.badSigs) != 1 {
		t.Fatalf("wrong key: %v, API saw %q", err, api2.badSigs)
	}
	if !strings.HasPrefix(api2.badSigs[0], "signature ") {
		t.Errorf("wrong key refused for %q, want the signature", api2.badSigs[0])
	}
	// A body changed after the SDK signed it (another template ID): the
	// payload's hash is in the signature, so the API refuses it.
	api3 := &tencentAPI{fault: map[string]string{}}
	srv3 := httptest.NewServer(api3)
	defer srv3.Close()
	tampered, err := sms.NewTencent(sms.TencentConfig{SecretID: tcID, SecretKey: tcKey, SdkAppID: tcApp, Endpoint: srv3.URL,
		Timeout: 3 * time.Second, CallbackToken: tcToken, Transport: tamper{}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tampered.Send(ctx, m); err == nil || len(api3.badSigs) != 1 || !strings.HasPrefix(api3.badSigs[0], "signature ") || len(api3.requests()) != 0 {
		t.Fatalf("tampered body: %v, API saw %q", err, api3.badSigs)
	}
}

// tamper rewrites the template ID in a request's body on its way, after
// it was signed.
type tamper struct{}

func (tamper) RoundTrip(r *http.Request) (*http.Response, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	b = bytes.Replace(b, []byte(`"2001"`), []byte(`"2009"`), 1)
	c := r.Clone(r.Context())
	c.Body, c.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
	return http.DefaultTransport.RoundTrip(c)
}

// post sends body to a callback and returns the status and Tencent's
// result code of the answer.
func post(t *testing.T, url, body string) (int, int) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a struct {
		Result int    `json:"result"`
		ErrMsg string `json:"errmsg"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		t.Fatalf("answer not in Tencent's form: %v", err)
	}
	return resp.StatusCode, a.Result
}

// The callbacks take only requests carrying the token (and, where set,
// from Tencent's networks); a receipt lands on its message by the
// SerialNo, a reply in the same reply path as every provider's.
func TestTencentCallbacks(t *testing.T) {
	db := testdb.Open(t)
	api, p := newTencent(t, tcKey)
	out := &store.SMSOutbox{DB: db, Visits: visit.DefaultConfig()}
	remote := func(r *http.Request) string { h, _, _ := strings.Cut(r.RemoteAddr, ":"); return h }
	status := httptest.NewServer(p.StatusCallback(out, remote))
	defer status.Close()
	reply := httptest.NewServer(p.ReplyCallback(out, remote))
	defer reply.Close()
	msgs := []store.NewSMS{{Phone: "13800000001", Body: "x", Key: "cb1"}}
	if err := db.QueueSMS(ctx, domain.SystemViewer("t"), msgs); err != nil {
		t.Fatal(err)
	}
	// A bare text has no template ID: it cannot go by Tencent. A test
	// message of the gateway's template with its ID can.
	testdb.Exec(t, db, "UPDATE sms_outbox SET template = 'sms.test', template_id = '3001', sign_name = '历下法院' WHERE idempotency_key = 'cb1'")
	s := &sms.Sender{Outbox: out, Gateway: p, Config: noQuiet()}
	drain(t, s, db)
	if st, _ := db.SMSStatus(ctx, "cb1"); st.Status != sms.StatusSent || len(api.requests()) != 1 {
		t.Fatalf("sent: %+v, requests %d", st, len(api.requests()))
	}
	receipt := `[{"user_receive_time":"2026-11-02 10:03:04","nationcode":"86","mobile":"13800000001","report_status":"SUCCESS","errmsg":"DELIVRD","description":"用户短信送达成功","sid":"2433:1"}]`
	for _, tt := range []struct {
		name, url, body string
		code, result    int
	}{
		{"no token", status.URL, receipt, 401, 1},
		{"wrong token", status.URL + "?token=guess", receipt, 401, 1},
		{"not JSON", status.URL + "?token=" + tcToken, "<xml/>", 400, 1},
		{"receipt", status.URL + "?token=" + tcToken, receipt, 200, 0},
		{"reply, no token", reply.URL, `{"mobile":"13800000001","nationcode":"86","sign":"历下法院","text":"满意","time":1793000000}`, 401, 1},
		{"reply", reply.URL + "?token=" + tcToken, `{"extend":"","mobile":"13800000001","nationcode":"86","sign":"历下法院","text":"满意","time":1793000000}`, 200, 0},
		{"reply from abroad", reply.URL + "?token=" + tcToken, `{"mobile":"2025550100","nationcode":"1","sign":"历下法院","text":"hi","time":1793000000}`, 200, 0},
	} {
		if code, res := post(t, tt.url, tt.body); code != tt.code || res != tt.result {
			t.Errorf("%s: %d result %d, want %d result %d", tt.name, code, res, tt.code, tt.result)
		}
	}
	if st, _ := db.SMSStatus(ctx, "cb1"); st.Status != sms.StatusDelivered {
		t.Errorf("after the receipt: %+v", st)
	}
	var n int
	if err := db.WriteDB().QueryRow("SELECT COUNT(*) FROM sms_inbox").Scan(&n); err != nil || n != 1 {
		t.Errorf("replies kept: %d %v, want 1", n, err)
	}
	// From outside Tencent's networks: refused, whatever the token.
	q, err := sms.NewTencent(sms.TencentConfig{SecretID: tcID, SecretKey: tcKey, SdkAppID: tcApp, CallbackToken: tcToken, CallbackFrom: []string{"203.0.113.0/24"}})
	if err != nil {
		t.Fatal(err)
	}
	fenced := httptest.NewServer(q.StatusCallback(out, remote))
	defer fenced.Close()
	if code, _ := post(t, fenced.URL+"?token="+tcToken, receipt); code != http.StatusForbidden {
		t.Errorf("from outside the networks: %d", code)
	}
}
