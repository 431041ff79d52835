package sms

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync"
	"time"

	tc "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
)

// TencentConfig configures the tencent provider: Tencent Cloud SMS
// (腾讯云短信), API SendSms of version 2021-01-11, signed TC3-HMAC-SHA256
// by the SDK's common client.
type TencentConfig struct {
	// SecretID and SecretKey are the API key, from the environment only;
	// never logged.
	SecretID, SecretKey string
	// SdkAppID is the SMS application (SmsSdkAppId, 1400…).
	SdkAppID string
	// Region is the API's region; default ap-guangzhou.
	Region string
	// Endpoint is the API's address: default sms.tencentcloudapi.com over
	// HTTPS; "http://host:port" for a test server.
	Endpoint string
	// TPS caps requests per second; 0 means no cap.
	TPS int
	// Timeout bounds one request; default 15s.
	Timeout time.Duration
	// CallbackToken must be in the callbacks' query (?token=…), from the
	// environment only: Tencent Cloud does not sign its callbacks.
	CallbackToken string
	// CallbackFrom, if set, are the networks the callbacks may come from
	// (the list Tencent Cloud gives of its callback addresses).
	CallbackFrom []string
	// Transport carries the requests; nil for the SDK's default.
	Transport http.RoundTripper
}

// Tencent is the tencent provider. A message goes with the court's
// signature (SignName), its template ID and the template's parameters in
// the order of the registered text; delivery receipts (状态回执) and
// replies (上行) come back through the status and reply callbacks.
type Tencent struct {
	cfg    TencentConfig
	client *tc.Client
	pace   *pacer
	scheme string
	host   string

	mu        sync.Mutex
	ok        bool
	lastErr   string
	lastErrAt time.Time
}

// statusKey carries a request's *int, where the transport writes the HTTP
// status the API answered.
type statusKey struct{}

type statusTransport struct{ next http.RoundTripper }

func (s statusTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := s.next.RoundTrip(r)
	if p, ok := r.Context().Value(statusKey{}).(*int); ok && resp != nil {
		*p = resp.StatusCode
	}
	return resp, err
}

// NewTencent returns the provider.
func NewTencent(cfg TencentConfig) (*Tencent, error) {
	if cfg.SecretID == "" || cfg.SecretKey == "" || cfg.SdkAppID == "" {
		return nil, errors.New("tencent SMS provider: give --sms-tencent-app and ZHILIAN_SMS_TENCENT_SECRET_ID, ZHILIAN_SMS_TENCENT_SECRET_KEY")
	}
	if cfg.CallbackToken == "" {
		return nil, errors.New("tencent SMS provider: give ZHILIAN_SMS_TENCENT_CALLBACK_TOKEN, the token of the status and reply callbacks")
	}
	if cfg.Region == "" {
		cfg.Region = "ap-guangzhou"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 15 * time.Second
	}
	t := &Tencent{cfg: cfg, ok: true, scheme: "HTTPS", host: "sms.tencentcloudapi.com"}
	if cfg.Endpoint != "" {
		e := cfg.Endpoint
		if !strings.Contains(e, "://") {
			e = "https://" + e
		}
		u, err := url.Parse(e)
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || (u.Path != "" && u.Path != "/") {
			return nil, fmt.Errorf("tencent SMS provider: endpoint %q is not host[:port] or http(s)://host[:port]", cfg.Endpoint)
		}
		t.scheme, t.host = strings.ToUpper(u.Scheme), u.Host
	}
	for _, n := range cfg.CallbackFrom {
		if _, err := parseNet(n); err != nil {
			return nil, fmt.Errorf("tencent SMS provider: callback network %q: %w", n, err)
		}
	}
	prof := profile.NewClientProfile()
	prof.HttpProfile.Endpoint = t.host
	prof.HttpProfile.Scheme = t.scheme
	prof.HttpProfile.ReqTimeout = max(1, int(cfg.Timeout/time.Second))
	// The sender, not the SDK, decides about sending again: no retries.
	prof.NetworkFailureMaxRetries, prof.RateLimitExceededMaxRetries = 0, 0
	t.client = tc.NewCommonClient(tc.NewCredential(cfg.SecretID, cfg.SecretKey), cfg.Region, prof)
	next := cfg.Transport
	if next == nil {
		next = http.DefaultTransport.(*http.Transport).Clone()
	}
	t.client.WithHttpTransport(statusTransport{next})
	if cfg.TPS > 0 {
		t.pace = &pacer{every: time.Second / time.Duration(cfg.TPS), burst: max(10, cfg.TPS/20)}
	}
	return t, nil
}

// Name names the provider.
func (t *Tencent) Name() string { return "tencent" }

// Start does nothing: receipts and replies come through the callbacks.
func (t *Tencent) Start(context.Context, Sink) error { return nil }

// Health reports the last request's fate.
func (t *Tencent) Health() Health {
	t.mu.Lock()
	defer t.mu.Unlock()
	return Health{Provider: "tencent", Bound: t.ok, Target: "腾讯云短信 SdkAppId " + t.cfg.SdkAppID + "（" + strings.ToLower(t.scheme) + "://" + t.host + "）",
		LastError: t.lastErr, LastErrorAt: t.lastErrAt}
}

func (t *Tencent) note(err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.ok = err == nil
	if err != nil {
		t.lastErr, t.lastErrAt = err.Error(), time.Now()
	}
}

// sendStatus is one number's fate in SendSms' answer (SendStatusSet).
type sendStatus struct {
	SerialNo    string `json:"SerialNo"`
	PhoneNumber string `json:"PhoneNumber"`
	Code        string `json:"Code"`
	Message     string `json:"Message"`
}

// Send sends m by its template ID, signature and parameters.
func (t *Tencent) Send(ctx context.Context, m Message) ([]string, error) {
	switch {
	case m.TemplateID == "":
		return nil, &PermanentError{Reason: "模板“" + m.Template + "”未登记腾讯云短信的模板ID（短信模板页）"}
	case m.Sign == "":
		return nil, &PermanentError{Reason: "没有短信签名"}
	}
	if t.pace != nil {
		if err := t.pace.Wait(ctx); err != nil {
			return nil, err
		}
	}
	params := m.Params
	if params == nil {
		params = []string{}
	}
	req := tchttp.NewCommonRequest("sms", "2021-01-11", "SendSms")
	if err := req.SetActionParameters(map[string]any{
		"PhoneNumberSet": []string{"+86" + m.To}, "SmsSdkAppId": t.cfg.SdkAppID, "SignName": m.Sign,
		"TemplateId": m.TemplateID, "TemplateParamSet": params, "SessionContext": m.Key,
	}); err != nil {
		return nil, &PermanentError{Reason: err.Error()}
	}
	var wrote bool
	status := new(int)
	rctx := httptrace.WithClientTrace(context.WithValue(ctx, statusKey{}, status), &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) { wrote = true },
	})
	req.SetContext(rctx)
	resp := tchttp.NewCommonResponse()
	err := t.client.Send(req, resp)
	if err != nil {
		return nil, t.failed(err, *status, wrote)
	}
	var body struct {
		Response struct {
			SendStatusSet []sendStatus `json:"SendStatusSet"`
			RequestID     string       `json:"RequestId"`
		} `json:"Response"`
	}
	if err := json.Unmarshal(resp.GetBody(), &body); err != nil || len(body.Response.SendStatusSet) != 1 {
		err := fmt.Errorf("tencent SMS: an answer without the number's status (request %s)", body.Response.RequestID)
		t.note(err)
		return nil, &AmbiguousError{Err: err}
	}
	st := body.Response.SendStatusSet[0]
	if st.Code == "Ok" {
		t.note(nil)
		return []string{st.SerialNo}, nil
	}
	return nil, t.refused(st.Code, st.Message)
}

// failed classifies a request that did not come back with the number's
// status: the API's error, a status in the way, or the network.
func (t *Tencent) failed(err error, status int, wrote bool) error {
	var sdk *tcerr.TencentCloudSDKError
	if errors.As(err, &sdk) && !strings.HasPrefix(sdk.Code, "ClientError.") {
		return t.refused(sdk.Code, sdk.Message)
	}
	t.note(err)
	switch {
	case status == http.StatusBadGateway || status == http.StatusGatewayTimeout:
		// A proxy gave up: the API behind it may have sent the message.
		return &AmbiguousError{Err: fmt.Errorf("tencent SMS: HTTP %d: %w", status, err)}
	case status >= 500 || status == http.StatusTooManyRequests:
		return fmt.Errorf("tencent SMS: HTTP %d: %w", status, err)
	case status != 0:
		// An answer the SDK could not read: the message's fate is unknown.
		return &AmbiguousError{Err: fmt.Errorf("tencent SMS: HTTP %d: %w", status, err)}
	case wrote:
		return &AmbiguousError{Err: fmt.Errorf("tencent SMS: %w", err)}
	}
	return fmt.Errorf("tencent SMS: %w", err)
}

// refused classifies an error code of SendSms, whole request or one number.
func (t *Tencent) refused(code, message string) error {
	reason := strings.TrimSpace("腾讯云短信 " + code + " " + TencentErrorText(code, message))
	if TencentPermanent(code) {
		t.note(nil) // the API works; the message cannot go
		return &PermanentError{Reason: reason}
	}
	err := errors.New(reason)
	t.note(err)
	return err
}

// tencentCodes are the SendSms error codes that are the message's own
// fault, with what they mean (Tencent Cloud's list of SMS API 3.0 error
// codes): retrying cannot help, the visit goes to the phone.
var tencentCodes = map[string]string{
	"FailedOperation.TemplateIncorrectOrUnapproved":             "模板未审批或内容不匹配",
	"FailedOperation.SignatureIncorrectOrUnapproved":            "签名未审批或格式错误",
	"FailedOperation.MissingTemplateList":                       "无法识别模板",
	"FailedOperation.MissingSignatureList":                      "无法识别签名",
	"FailedOperation.PhoneNumberInBlacklist":                    "手机号在免打扰名单中",
	"FailedOperation.ContainSensitiveWord":                      "短信内容含有敏感词",
	"FailedOperation.FailResolvePacket":                         "请求包解析失败",
	"FailedOperation.JsonParseFail":                             "请求包解析失败",
	"InvalidParameterValue.IncorrectPhoneNumber":                "手机号格式错误",
	"InvalidParameterValue.ContentLengthLimit":                  "短信内容太长",
	"InvalidParameterValue.ProhibitedUseUrlInTemplateParameter": "模板变量中不得使用网址",
	"InvalidParameterValue.TemplateParameterFormatError":        "模板参数格式错误",
	"InvalidParameterValue.TemplateParameterLengthLimit":        "模板变量超长",
	"UnsupportedOperation.UnsuportedRegion":                     "不支持该地区的号码",
}

// tencentTemporary are the codes, and the families of codes, a later try
// may get past: frequency limits, Tencent's internal errors, the
// account's balance, arrears, key, application and address checks. The
// last are the installation's settings, not the message's fault: an
// administrator mends them meanwhile, and the messages waiting are not
// all thrown to the phone by one wrong --sms-tencent-app.
var tencentTemporary = map[string]string{
	"LimitExceeded.DeliveryFrequencyLimit":             "命中频率限制",
	"LimitExceeded.PhoneNumberDailyLimit":              "该号码当日条数已达上限",
	"LimitExceeded.PhoneNumberOneHourLimit":            "该号码1小时内条数已达上限",
	"LimitExceeded.PhoneNumberThirtySecondLimit":       "该号码30秒内条数已达上限",
	"LimitExceeded.PhoneNumberSameContentDailyLimit":   "该号码相同内容已达上限",
	"LimitExceeded.AppDailyLimit":                      "应用当日条数已达上限",
	"InternalError.Timeout":                            "下发超时",
	"InternalError.OtherError":                         "腾讯云内部错误",
	"FailedOperation.InsufficientBalanceInSmsPackage":  "套餐包余量不足",
	"UnauthorizedOperation.SerivceSuspendDueToArrears": "欠费停止服务",
	"UnauthorizedOperation.RequestIpNotInWhitelist":    "请求IP不在白名单中",
	"AuthFailure.SignatureFailure":                     "API 签名错误（核对密钥）",
	"AuthFailure.SecretIdNotFound":                     "密钥不存在",
	"RequestLimitExceeded":                             "API 请求频率超限",
	"InvalidParameterValue.SdkAppIdNotExist":           "SdkAppId 不存在（核对 --sms-tencent-app）",
	"UnauthorizedOperation.SmsSdkAppIdVerifyFail":      "SdkAppId 与密钥不属于同一账号",
	"UnauthorizedOperation.SdkAppIdIsDisabled":         "SdkAppId 已被禁用",
	"UnauthorizedOperation.RequestPermissionDeny":      "请求没有权限",
}

// TencentPermanent reports whether a SendSms error code is the message's
// own fault: its template or signature not approved, the number invalid
// or blocked, a parameter refused. Limits, internal errors and the
// account's state are temporary, and so is a code this version does not
// know.
func TencentPermanent(code string) bool {
	if _, ok := tencentCodes[code]; ok {
		return true
	}
	if _, ok := tencentTemporary[code]; ok {
		return false
	}
	for _, p := range []string{"InvalidParameterValue.", "InvalidParameter.", "MissingParameter.", "UnsupportedOperation."} {
		if strings.HasPrefix(code, p) {
			return true
		}
	}
	return code == "InvalidParameter" || code == "InvalidParameterValue" || code == "MissingParameter"
}

// TencentErrorText says what code means, or Tencent's own message.
func TencentErrorText(code, message string) string {
	if s, ok := tencentCodes[code]; ok {
		return s
	}
	if s, ok := tencentTemporary[code]; ok {
		return s
	}
	return message
}
