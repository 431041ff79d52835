package sms

import (
	"bytes"
	"context"
	"crypto/hmac"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
)

// Tencent Cloud posts delivery receipts (短信下发状态通知) and replies (短信
//回复) to the URLs configured in its console, as its documentation of the
// SMS callbacks gives them:
//
//	status: [{"user_receive_time":"2015-10-17 08:03:04","nationcode":"86","mobile":"13…",
//	          "report_status":"SUCCESS|FAIL","errmsg":"DELIVRD","description":"…","sid":"…"}]
//	reply:  {"extend":"","mobile":"13…","nationcode":"86","sign":"…","text":"…","time":1457336869}
//
// and takes {"result":0,"errmsg":"OK"} for taken, any other result for
// not (it tries twice more). It signs neither request: what it documents
// for checking them is the list of addresses its callbacks come from. So
// each callback URL carries a secret token (?token=…, from the
// environment), and the source address may be limited to Tencent's
// networks (CallbackFrom).

// parseNet reads a network (10.0.0.0/24) or a single address.
func parseNet(s string) (netip.Prefix, error) {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// tencentStatus is one receipt of the status callback.
type tencentStatus struct {
	UserReceiveTime string `json:"user_receive_time"`
	NationCode      string `json:"nationcode"`
	Mobile          string `json:"mobile"`
	ReportStatus    string `json:"report_status"`
	ErrMsg          string `json:"errmsg"`
	Description     string `json:"description"`
	Sid             string `json:"sid"`
}

// tencentReply is one message of the reply callback.
type tencentReply struct {
	Extend     string `json:"extend"`
	Mobile     string `json:"mobile"`
	NationCode string `json:"nationcode"`
	Sign       string `json:"sign"`
	Text       string `json:"text"`
	Time       int64  `json:"time"`
}

// callback wraps a callback's handling: the token and the source address
// checked, the body read, the answer in Tencent's form.
func (t *Tencent) callback(remote func(*http.Request) string, take func(ctx context.Context, body []byte) (int, string)) http.Handler {
	var nets []netip.Prefix
	for _, n := range t.cfg.CallbackFrom {
		p, _ := parseNet(n) // checked by NewTencent
		nets = append(nets, p)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		answer := func(code int, msg string) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(code)
			res := 0
			if code != http.StatusOK {
				res = 1
			}
			json.NewEncoder(w).Encode(map[string]any{"result": res, "errmsg": msg})
		}
		token := r.URL.Query().Get("token")
		if token == "" || !hmac.Equal([]byte(token), []byte(t.cfg.CallbackToken)) {
			answer(http.StatusUnauthorized, "bad token")
			return
		}
		if len(nets) > 0 {
			addr, err := netip.ParseAddr(remote(r))
			if err != nil || !containsAddr(nets, addr.Unmap()) {
				answer(http.StatusForbidden, "source address not allowed")
				return
			}
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
		if err != nil {
			answer(http.StatusRequestEntityTooLarge, "body too large")
			return
		}
		code, msg := take(r.Context(), body)
		answer(code, msg)
	})
}

func containsAddr(nets []netip.Prefix, a netip.Addr) bool {
	for _, n := range nets {
		if n.Contains(a) {
			return true
		}
	}
	return false
}

// beijing reads Tencent's user_receive_time, Beijing time.
var beijing = time.FixedZone("CST", 8*3600)

// StatusCallback is the endpoint of Tencent's status callback: each
// receipt goes to sink by its sid, the SerialNo SendSms gave.
func (t *Tencent) StatusCallback(sink Sink, remote func(*http.Request) string) http.Handler {
	return t.callback(remote, func(ctx context.Context, body []byte) (int, string) {
		var in []tencentStatus
		if err := json.Unmarshal(body, &in); err != nil {
			return http.StatusBadRequest, "want a JSON array of receipts"
		}
		var rs []Receipt
		for _, s := range in {
			r := Receipt{ProviderID: s.Sid, State: Undelivered, Error: strings.TrimSpace(s.ErrMsg + " " + s.Description)}
			if s.ReportStatus == "SUCCESS" {
				r.State, r.Error = Delivered, ""
			} else if s.ReportStatus != "FAIL" {
				continue // not a final state this version knows
			}
			if at, err := time.ParseInLocation("2006-01-02 15:04:05", s.UserReceiveTime, beijing); err == nil {
				r.At = at
			}
			if r.ProviderID != "" {
				rs = append(rs, r)
			}
		}
		if len(rs) == 0 {
			return http.StatusOK, "OK"
		}
		var err error
		if b, ok := sink.(interface {
			Receipts(context.Context, []Receipt) error
		}); ok {
			err = b.Receipts(ctx, rs)
		} else {
			for _, r := range rs {
				if e := sink.Receipt(ctx, r); e != nil {
					err = e
				}
			}
		}
		if err != nil {
			return http.StatusServiceUnavailable, "try again"
		}
		return http.StatusOK, "OK"
	})
}

// ReplyCallback is the endpoint of Tencent's reply callback: a party's
// message goes to sink as the other providers' do. A message from a
// number outside mainland China fits no visit and is passed over.
func (t *Tencent) ReplyCallback(sink Sink, remote func(*http.Request) string) http.Handler {
	return t.callback(remote, func(ctx context.Context, body []byte) (int, string) {
		var in []tencentReply
		trimmed := bytes.TrimSpace(body)
		if len(trimmed) > 0 && trimmed[0] == '{' {
			var one tencentReply
			if err := json.Unmarshal(trimmed, &one); err != nil {
				return http.StatusBadRequest, "want a JSON reply"
			}
			in = append(in, one)
		} else if err := json.Unmarshal(trimmed, &in); err != nil {
			return http.StatusBadRequest, "want a JSON reply"
		}
		for _, x := range in {
			if (x.NationCode != "" && x.NationCode != "86") || x.Mobile == "" {
				continue
			}
			at := time.Now()
			if x.Time > 0 {
				at = time.Unix(x.Time, 0)
			}
			err := sink.Reply(ctx, Reply{From: x.Mobile, Body: x.Text, At: at})
			if err != nil && !errors.Is(err, domain.ErrInvalid) { // a number no visit can have is passed over
				return http.StatusServiceUnavailable, "try again"
			}
		}
		return http.StatusOK, "OK"
	})
}
