package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// TestRouteMatrix asks every route of the server — pages, forms, the API,
// the party's link, the gateway's callback — as every role, logged out and
// between password and second factor, about records of the viewer's own
// court, a court below it and a court beside it, and compares each answer
// with the table below. A route without a row fails the test: every route
// added later declares who may use it.
//
// The viewers sit at 济南市中级人民法院 (鲁01); the records are at 鲁01 (own),
// 济南市历下区人民法院 (鲁0102, below) and 青岛市中级人民法院 (鲁02, beside).
//
// Expected answers, one letter per record scope (own, below, beside), or
// one letter for a route that concerns no record:
//
//	Y  allowed: 2xx, a redirect that is not to the login, 409 or 422
//	   (the table asks with empty forms: refused input still means the
//	   viewer got in)
//	N  refused: 403, or 404 for a record the viewer may not know of
//	L  redirected to the login
//	M  redirected to the second factor
//	H  redirected home (a signed-in user on a page for signing in)
//	4  404 for everyone (no such thing)
//	1  401 (a bearer token or a signature is missing; administrators get
//	   no API token, the watchdogs issue their own under a code)
//	3  301
//	G  404 or 429 (the party's page for a token that is not there, or its
//	   per-address limit)
//
// Rows say "roles=letters" in groups; the role letters are o officer,
// h dept_head, c command_center, b bureau, d discipline_group,
// s supervision_office, a admin, k security_admin, u auditor, x logged
// out, p pending second factor, and * for every role not named.
func TestRouteMatrix(t *testing.T) {
	e := newMatrixEnv(t)
	fx := matrixFixtures(t, e)
	type row struct {
		path func(scope int) string // scope 0 own, 1 below, 2 beside; -1 for a route of no record
		exp  string
	}
	rec := func(f func(c courtFx) string) func(int) string {
		return func(s int) string { return f(fx.courts[s]) }
	}
	fixed := func(p string) func(int) string { return func(int) string { return p } }
	const business = "ohcbds=Y *=N"
	rows := map[string]row{
		"GET /healthz":            {fixed("/healthz"), "*=Y x=Y p=Y"},
		"GET /metrics":            {fixed("/metrics"), "*=4 x=4 p=4"},
		"GET /static/{file}":      {fixed(fx.asset), "*=Y x=Y p=Y"},
		"GET /favicon.ico":        {fixed("/favicon.ico"), "*=3 x=3 p=3"},
		"GET /login":              {fixed("/login"), "*=Y x=Y p=Y"},
		"POST /login":             {fixed("/login"), "*=Y x=Y p=Y"},
		"GET /login/2fa":          {fixed("/login/2fa"), "*=H x=L p=Y"},
		"POST /login/2fa":         {fixed("/login/2fa"), "*=H x=L p=1"},
		"POST /logout":            {fixed("/logout"), "*=L x=L p=L"},
		"GET /{$}":                {fixed("/"), "*=Y"},
		"GET /account/password":   {fixed("/account/password"), "*=Y"},
		"POST /account/password":  {fixed("/account/password"), "*=Y"},
		"GET /account/2fa":        {fixed("/account/2fa"), "*=Y"},
		"POST /account/2fa/{act}": {fixed("/account/2fa/recovery"), "*=Y"},
		"GET /account/tokens":     {fixed("/account/tokens"), "*=Y"},
		"POST /account/tokens":    {fixed("/account/tokens"), "*=Y"},
		// Nobody's own: the fixtures' tokens belong to each court's officer.
		"POST /account/tokens/{id}/revoke": {rec(func(c courtFx) string { return fmt.Sprintf("/account/tokens/%d/revoke", c.token) }), "*=NNN"},

		"GET /admin/users":                           {fixed("/admin/users"), "ak=Y *=N"},
		"GET /admin/users/new":                       {fixed("/admin/users/new"), "a=Y *=N"},
		"POST /admin/users":                          {fixed("/admin/users"), "a=Y *=N"},
		"GET /admin/users/{id}":                      {rec(func(c courtFx) string { return fmt.Sprintf("/admin/users/%d", c.user) }), "ak=YYN *=NNN"},
		"POST /admin/users/{id}":                     {rec(func(c courtFx) string { return fmt.Sprintf("/admin/users/%d", c.user) }), "ak=YYN *=NNN"},
		"POST /admin/users/{id}/disable":             {rec(func(c courtFx) string { return fmt.Sprintf("/admin/users/%d/disable", c.user) }), "ak=YYN *=NNN"},
		"POST /admin/users/{id}/enable":              {rec(func(c courtFx) string { return fmt.Sprintf("/admin/users/%d/enable", c.user) }), "ak=YYN *=NNN"},
		"POST /admin/users/{id}/unlock":              {rec(func(c courtFx) string { return fmt.Sprintf("/admin/users/%d/unlock", c.user) }), "ak=YYN *=NNN"},
		"POST /admin/users/{id}/password":            {rec(func(c courtFx) string { return fmt.Sprintf("/admin/users/%d/password", c.user) }), "ak=YYN *=NNN"},
		"POST /admin/users/{id}/2fa/reset":           {rec(func(c courtFx) string { return fmt.Sprintf("/admin/users/%d/2fa/reset", c.user) }), "k=YYN *=NNN"},
		"POST /admin/users/{id}/roles":               {rec(func(c courtFx) string { return fmt.Sprintf("/admin/users/%d/roles", c.user) }), "k=YYN *=NNN"},
		"POST /admin/users/{id}/roles/{role}/revoke": {rec(func(c courtFx) string { return fmt.Sprintf("/admin/users/%d/roles/officer/revoke", c.user) }), "k=YYN *=NNN"},
		"POST /admin/users/{id}/requests":            {rec(func(c courtFx) string { return fmt.Sprintf("/admin/users/%d/requests", c.user) }), "k=YYN *=NNN"},
		"POST /admin/requests/{id}/{act}":            {rec(func(c courtFx) string { return fmt.Sprintf("/admin/requests/%d/reject", c.request) }), "k=YYN *=NNN"},
		"GET /admin/grants":                          {fixed("/admin/grants"), "k=Y *=N"},
		"POST /admin/grants/{id}/{act}":              {rec(func(c courtFx) string { return fmt.Sprintf("/admin/grants/%d/reject", c.grant) }), "k=YYN *=NNN"},
		"GET /admin/tokens":                          {fixed("/admin/tokens"), "ak=Y *=N"},
		"POST /admin/tokens/{id}/revoke":             {rec(func(c courtFx) string { return fmt.Sprintf("/admin/tokens/%d/revoke", c.token) }), "ak=YYN *=NNN"},

		"GET /admin/courts":                     {fixed("/admin/courts"), "a=Y *=N"},
		"POST /admin/courts/import":             {fixed("/admin/courts/import"), "a=Y *=N"},
		"GET /admin/courts/{code}":              {rec(func(c courtFx) string { return "/admin/courts/" + c.code }), "a=YYN *=NNN"},
		"POST /admin/courts/{code}":             {rec(func(c courtFx) string { return "/admin/courts/" + c.code }), "a=YYN *=NNN"},
		"POST /admin/courts/{code}/departments": {rec(func(c courtFx) string { return "/admin/courts/" + c.code + "/departments" }), "a=YYN *=NNN"},
		"POST /admin/courts/{code}/posts":       {rec(func(c courtFx) string { return "/admin/courts/" + c.code + "/posts" }), "a=YYN *=NNN"},
		"GET /court-posts":                      {fixed("/court-posts"), "abds=Y *=N"},
		"GET /admin/sms":                        {fixed("/admin/sms"), "a=Y *=N"},
		"POST /admin/sms/test":                  {fixed("/admin/sms/test"), "a=Y *=N"},
		"GET /admin/notices":                    {fixed("/admin/notices"), "a=Y *=N"},
		"POST /admin/notices":                   {fixed("/admin/notices"), "a=Y *=N"},

		// The message centre: everyone his own; another's message, at any
		// court, is not found.
		"GET /messages":            {fixed("/messages"), "*=Y"},
		"GET /help":                {fixed("/help"), "*=Y"},
		"GET /help/{topic}":        {fixed("/help/trips"), "*=Y"},
		"POST /messages/read-all":  {fixed("/messages/read-all"), "*=Y"},
		"POST /messages/{id}/read": {rec(func(c courtFx) string { return fmt.Sprintf("/messages/%d/read", c.message) }), "*=NNN"},

		"GET /audit": {fixed("/audit"), "dsu=Y *=N"},

		// Return visits: the command centre its court, the bureau and the
		// watchdogs their subtree; officers and heads never.
		"GET /visits":                    {fixed("/visits"), "cbds=Y *=N"},
		"GET /visits/{id}":               {rec(func(c courtFx) string { return fmt.Sprintf("/visits/%d", c.visit) }), "c=YNN bds=YYN *=NNN"},
		"POST /visits/{id}/events":       {rec(func(c courtFx) string { return fmt.Sprintf("/visits/%d/events", c.visit) }), "c=YNN bds=YYN *=NNN"},
		"POST /visits/{id}/phone":        {rec(func(c courtFx) string { return fmt.Sprintf("/visits/%d/phone", c.visit) }), "c=YNN bds=YYN *=NNN"},
		"GET /visits/{id}/print":         {rec(func(c courtFx) string { return fmt.Sprintf("/visits/%d/print", c.visit) }), "c=YNN bds=YYN *=NNN"},
		"GET /forms/annex3":              {fixed("/forms/annex3"), "*=Y"},
		"GET /v/{token}":                 {fixed("/v/no-such-token"), "*=G x=G p=G"},
		"POST /v/{token}":                {fixed("/v/no-such-token"), "*=G x=G p=G"},
		"GET /visit-stats":               {fixed("/visit-stats"), "cbds=Y *=N"},
		"GET /visit-stats.xlsx":          {fixed("/visit-stats.xlsx"), "cbds=Y *=N"},
		"GET /visit-batches":             {fixed("/visit-batches"), "cbds=Y *=N"},
		"POST /visit-batches":            {fixed("/visit-batches"), "c=Y *=N"},
		"GET /visit-batches/{id}":        {rec(func(c courtFx) string { return fmt.Sprintf("/visit-batches/%d", c.batch) }), "c=YNN bds=YYN *=NNN"},
		"POST /cases/{id}/supervise":     {rec(func(c courtFx) string { return fmt.Sprintf("/cases/%d/supervise", c.caseID) }), "b=NYN *=NNN"},
		"POST /cases/{id}/flags":         {rec(func(c courtFx) string { return fmt.Sprintf("/cases/%d/flags", c.caseID) }), "b=YYN *=NNN"},
		"POST /cases/{id}/focus":         {rec(func(c courtFx) string { return fmt.Sprintf("/cases/%d/focus", c.caseID) }), "c=YNN *=NNN"},
		"GET /sms":                       {fixed("/sms"), "c=Y *=N"},
		"POST /sms/{id}/decide":          {rec(func(c courtFx) string { return fmt.Sprintf("/sms/%d/decide", c.sms) }), "c=YNN *=NNN"},
		"POST /sms/replies/{id}/handled": {rec(func(c courtFx) string { return fmt.Sprintf("/sms/replies/%d/handled", c.reply) }), "c=YNN *=NNN"},
		"POST /sms/inbound":              {fixed("/sms/inbound"), "*=1 x=1 p=1"},
		// Tencent Cloud's callbacks answer the token in their URL alone.
		"POST /sms/tencent/status": {fixed("/sms/tencent/status"), "*=1 x=1 p=1"},
		"POST /sms/tencent/reply":  {fixed("/sms/tencent/reply"), "*=1 x=1 p=1"},
		// A court's SMS templates and signature: its administrators and
		// those of the courts above (empty forms: 422, or the signature
		// back to the court's name).
		"GET /admin/sms/templates":         {fixed("/admin/sms/templates"), "a=Y *=N"},
		"GET /admin/sms/templates/{name}":  {rec(func(c courtFx) string { return fmt.Sprintf("/admin/sms/templates/visit.question?court=%d", c.courtID) }), "a=YYN *=NNN"},
		"POST /admin/sms/templates/{name}": {rec(func(c courtFx) string { return fmt.Sprintf("/admin/sms/templates/visit.question?court=%d", c.courtID) }), "a=YYN *=NNN"},
		"POST /admin/sms/signature":        {fixed("/admin/sms/signature"), "a=Y *=N"},

		// Trips: the officer his own (none of these), the head his
		// department's, the watchdogs and the bureau their subtree.
		"GET /trips":                     {fixed("/trips"), "ohbds=Y *=N"},
		"GET /trips/new":                 {fixed("/trips/new"), "ohb=Y *=N"},
		"GET /divisions.json":            {fixed("/divisions.json"), "*=Y"},
		"GET /trips/mapping":             {fixed("/trips/mapping"), "ohbds=Y *=N"},
		"GET /trips/accountability":      {fixed("/trips/accountability"), "hbds=Y *=N"},
		"GET /trips/accountability.xlsx": {fixed("/trips/accountability.xlsx"), "hbds=Y *=N"},
		"POST /trips":                    {fixed("/trips"), "ohb=Y *=N"},
		"GET /trips/{id}":                {rec(func(c courtFx) string { return fmt.Sprintf("/trips/%d", c.trip) }), "h=YNN bds=YYN *=NNN"},
		"POST /trips/{id}/requirement":   {rec(func(c courtFx) string { return fmt.Sprintf("/trips/%d/requirement", c.trip) }), "h=YNN *=NNN"},
		"POST /trips/{id}/report":        {rec(func(c courtFx) string { return fmt.Sprintf("/trips/%d/report", c.trip) }), "*=NNN"},
		"POST /trips/{id}/cancel":        {rec(func(c courtFx) string { return fmt.Sprintf("/trips/%d/cancel", c.trip) }), "*=NNN"},
		"GET /trips/{id}/print":          {rec(func(c courtFx) string { return fmt.Sprintf("/trips/%d/print", c.trip) }), "h=YNN bds=YYN *=NNN"},
		"GET /trip-reviews":              {fixed("/trip-reviews"), "hbds=Y *=N"},
		"GET /trip-reviews/{id}":         {rec(func(c courtFx) string { return fmt.Sprintf("/trip-reviews/%d", c.review) }), "h=YNN bds=YYN *=NNN"},
		"POST /trip-reviews/{id}/{act}":  {rec(func(c courtFx) string { return fmt.Sprintf("/trip-reviews/%d/conclude", c.review) }), "ds=YYN *=NNN"},
		"GET /annex2/{id}":               {rec(func(c courtFx) string { return fmt.Sprintf("/annex2/%d", c.caseID) }), "h=YNN bds=YYN *=NNN"},
		"POST /annex2/{id}":              {rec(func(c courtFx) string { return fmt.Sprintf("/annex2/%d", c.caseID) }), "*=NNN"},
		"GET /annex2/{id}/print":         {rec(func(c courtFx) string { return fmt.Sprintf("/annex2/%d/print", c.caseID) }), "h=YNN bds=YYN *=NNN"},
		"GET /forms/{n}":                 {fixed("/forms/annex1"), "*=Y"},

		// Cases: officers and heads their own, the command centre its
		// court, the bureau and the watchdogs their subtree; no
		// administrator reads one.
		"GET /cases":                             {fixed("/cases"), business},
		"GET /search":                            {fixed("/search?q=183"), "*=Y"},
		"GET /admin/unmatched-officers":          {fixed("/admin/unmatched-officers"), "a=Y *=N"},
		"POST /admin/unmatched-officers":         {fixed("/admin/unmatched-officers"), "a=Y *=N"},
		"POST /admin/unmatched-officers/remove":  {fixed("/admin/unmatched-officers/remove"), "a=Y *=N"},
		"GET /cases/import":                      {fixed("/cases/import"), "cb=Y *=N"},
		"POST /cases/import":                     {fixed("/cases/import"), "cb=Y *=N"},
		"GET /cases/import/{id}":                 {rec(func(c courtFx) string { return fmt.Sprintf("/cases/import/%d", c.imp) }), "c=YNN *=NNN"},
		"GET /cases/import/{id}/report":          {rec(func(c courtFx) string { return fmt.Sprintf("/cases/import/%d/report", c.imp) }), "c=YNN *=NNN"},
		"GET /cases/{id}":                        {rec(func(c courtFx) string { return fmt.Sprintf("/cases/%d", c.caseID) }), "hc=YNN bds=YYN *=NNN"},
		"POST /cases/{id}/parties/{party}/phone": {rec(func(c courtFx) string { return fmt.Sprintf("/cases/%d/parties/%d/phone", c.caseID, c.party) }), "c=YNN bds=YYN *=NNN"},
		"POST /cases/{id}/pauses":                {rec(func(c courtFx) string { return fmt.Sprintf("/cases/%d/pauses", c.caseID) }), "c=YNN b=YYN *=NNN"},
		"POST /cases/{id}/extensions":            {rec(func(c courtFx) string { return fmt.Sprintf("/cases/%d/extensions", c.caseID) }), "c=YNN b=YYN *=NNN"},

		// 网上巡查: the command centre its court, the bureau and the
		// watchdogs their subtree; officers and heads never.
		"POST /cases/import/acts":          {fixed("/cases/import/acts"), "cb=Y *=N"},
		"GET /patrol":                      {fixed("/patrol"), "cbds=Y *=N"},
		"POST /patrol/findings/{id}/{act}": {rec(func(c courtFx) string { return fmt.Sprintf("/patrol/findings/%d/dismiss", c.finding) }), "c=YNN bds=YYN *=NNN"},

		// Complaints and petitions: the bureau and the watchdogs their
		// subtree, the command centre its court; the watchdogs assess.
		"GET /complaints":              {fixed("/complaints"), "cbds=Y *=N"},
		"GET /complaints/new":          {fixed("/complaints/new"), "cbds=Y *=N"},
		"POST /complaints":             {fixed("/complaints"), "cbds=Y *=N"},
		"POST /complaints/import":      {fixed("/complaints/import"), "cbds=Y *=N"},
		"GET /complaints/{id}":         {rec(func(c courtFx) string { return fmt.Sprintf("/complaints/%d", c.complaint) }), "c=YNN bds=YYN *=NNN"},
		"POST /complaints/{id}/assess": {rec(func(c courtFx) string { return fmt.Sprintf("/complaints/%d/assess", c.complaint) }), "ds=YYN *=NNN"},

		// Improvement suggestions and rectification: the watchdogs and the
		// bureau of the court and above; the watchdogs issue; the bureau
		// breaks down and reports; the issuing court's watchdogs accept.
		"GET /rectifications":                           {fixed("/rectifications"), "bds=Y *=N"},
		"GET /rectifications/new":                       {fixed("/rectifications/new"), "ds=Y *=N"},
		"POST /rectifications":                          {fixed("/rectifications"), "ds=Y *=N"},
		"GET /rectifications/{id}":                      {rec(func(c courtFx) string { return fmt.Sprintf("/rectifications/%d", c.rect) }), "bds=YYN *=NNN"},
		"GET /rectifications/{id}/notice":               {rec(func(c courtFx) string { return fmt.Sprintf("/rectifications/%d/notice", c.rect) }), "bds=YYN *=NNN"},
		"GET /rectifications/{id}/report":               {rec(func(c courtFx) string { return fmt.Sprintf("/rectifications/%d/report", c.rect) }), "bds=YYN *=NNN"},
		"POST /rectifications/{id}/items":               {rec(func(c courtFx) string { return fmt.Sprintf("/rectifications/%d/items", c.rect) }), "b=YYN ds=YNN *=NNN"},
		"POST /rectifications/{id}/items/{item}/report": {rec(func(c courtFx) string { return fmt.Sprintf("/rectifications/%d/items/%d/report", c.rect, c.rectItem) }), "b=YYN *=NNN"},
		"POST /rectifications/{id}/items/{item}/decide": {rec(func(c courtFx) string { return fmt.Sprintf("/rectifications/%d/items/%d/decide", c.rect, c.rectItem) }), "ds=YNN *=NNN"},
		"POST /rectifications/{id}/items/{item}/files":  {rec(func(c courtFx) string { return fmt.Sprintf("/rectifications/%d/items/%d/files", c.rect, c.rectItem) }), "b=YYN ds=YNN *=NNN"},
		"GET /attachments/{id}":                         {rec(func(c courtFx) string { return fmt.Sprintf("/attachments/%d", c.attachment) }), "bds=YYN *=NNN"},
		// Clues and dispositions: the watchdogs their subtree, nobody
		// else; steps and conclusions are the verifier's (none here).
		// Special inspections: the three bodies (the command centre sits
		// for the bureau) of the organising court and above see a
		// campaign; only its group prepares it.
		"GET /inspections":             {fixed("/inspections"), "cbds=Y *=N"},
		"GET /inspections/new":         {fixed("/inspections/new"), "cbds=Y *=N"},
		"POST /inspections":            {fixed("/inspections"), "cbds=Y *=N"},
		"GET /inspections/{id}":        {rec(func(c courtFx) string { return fmt.Sprintf("/inspections/%d", c.inspection) }), "cbds=YYN *=NNN"},
		"POST /inspections/{id}/{act}": {rec(func(c courtFx) string { return fmt.Sprintf("/inspections/%d/draw", c.inspection) }), "bds=YNN *=NNN"},
		// The campaign itself is edited by its group in 筹备 (empty form: 422).
		"GET /inspections/{id}/edit":  {rec(func(c courtFx) string { return fmt.Sprintf("/inspections/%d/edit", c.inspection) }), "bds=YNN *=NNN"},
		"POST /inspections/{id}/edit": {rec(func(c courtFx) string { return fmt.Sprintf("/inspections/%d/edit", c.inspection) }), "bds=YNN *=NNN"},
		// The plan's files: uploaded by the group in 筹备 (no file: 422).
		"POST /inspections/{id}/files": {rec(func(c courtFx) string { return fmt.Sprintf("/inspections/%d/files", c.inspection) }), "bds=YNN *=NNN"},
		// The checklist is edited by the group in 筹备 (empty form: 422).
		"GET /inspections/{id}/checklist":  {rec(func(c courtFx) string { return fmt.Sprintf("/inspections/%d/checklist", c.inspection) }), "bds=YNN *=NNN"},
		"POST /inspections/{id}/checklist": {rec(func(c courtFx) string { return fmt.Sprintf("/inspections/%d/checklist", c.inspection) }), "bds=YNN *=NNN"},
		// A target's sheet and the 通报 go to whoever sees the whole
		// campaign; only the leader assigns (empty form: 422); nobody acts
		// on a finding of a campaign in 筹备.
		"GET /inspections/{id}/targets/{target}": {rec(func(c courtFx) string { return fmt.Sprintf("/inspections/%d/targets/%d", c.inspection, c.inspTarget) }), "cbds=YYN *=NNN"},
		"POST /inspections/{id}/targets/{target}/{act}": {rec(func(c courtFx) string {
			return fmt.Sprintf("/inspections/%d/targets/%d/assign", c.inspection, c.inspTarget)
		}), "b=YNN *=NNN"},
		"POST /inspections/{id}/findings/{finding}/{act}": {rec(func(c courtFx) string {
			return fmt.Sprintf("/inspections/%d/findings/%d/answer", c.inspection, c.inspFinding)
		}), "*=NNN"},
		"GET /inspections/{id}/report":      {rec(func(c courtFx) string { return fmt.Sprintf("/inspections/%d/report", c.inspection) }), "cbds=YYN *=NNN"},
		"GET /inspections/{id}/report.docx": {rec(func(c courtFx) string { return fmt.Sprintf("/inspections/%d/report.docx", c.inspection) }), "cbds=YYN *=NNN"},
		"GET /inspections/{id}/report.xlsx": {rec(func(c courtFx) string { return fmt.Sprintf("/inspections/%d/report.xlsx", c.inspection) }), "cbds=YYN *=NNN"},
		"GET /clues":                        {fixed("/clues"), "ds=Y *=N"},
		"GET /clues/new":                    {fixed("/clues/new"), "ds=Y *=N"},
		"POST /clues":                       {fixed("/clues"), "ds=Y *=N"},
		"GET /clues/{id}":                   {rec(func(c courtFx) string { return fmt.Sprintf("/clues/%d", c.clue) }), "ds=YYN *=NNN"},
		"POST /clues/{id}/{act}":            {rec(func(c courtFx) string { return fmt.Sprintf("/clues/%d/assign", c.clue) }), "ds=YYN *=NNN"},
		"GET /dispositions":                 {fixed("/dispositions"), "ds=Y *=N"},

		// Key-case tracking: the three bodies of the court act; the
		// watchdogs of a court above see; officers, heads, the command
		// centre and a higher court's bureau never.
		"GET /tracking":              {fixed("/tracking"), "bds=Y *=N"},
		"POST /tracking/refresh":     {fixed("/tracking/refresh"), "bds=Y *=N"},
		"POST /tracking/candidates":  {fixed("/tracking/candidates"), "bds=Y *=N"},
		"GET /tracking/{id}":         {rec(func(c courtFx) string { return fmt.Sprintf("/tracking/%d", c.tracking) }), "b=YNN ds=YYN *=NNN"},
		"GET /tracking/{id}/minutes": {rec(func(c courtFx) string { return fmt.Sprintf("/tracking/%d/minutes", c.tracking) }), "b=YNN ds=YYN *=NNN"},
		"POST /tracking/{id}/{act}":  {rec(func(c courtFx) string { return fmt.Sprintf("/tracking/%d/opinion", c.tracking) }), "bds=YNN *=NNN"},
		// The working group's page, the closing report and the statistics:
		// the group acts (here on a closed tracking: 409), the three
		// bodies of the court and the watchdogs above read; never the
		// case's officer or department.
		"GET /tracking/{id}/work":        {rec(func(c courtFx) string { return fmt.Sprintf("/tracking/%d/work", c.trackWork) }), "b=YNN ds=YYN *=NNN"},
		"POST /tracking/{id}/work/{act}": {rec(func(c courtFx) string { return fmt.Sprintf("/tracking/%d/work/record", c.trackWork) }), "bds=YNN *=NNN"},
		"GET /tracking/{id}/report":      {rec(func(c courtFx) string { return fmt.Sprintf("/tracking/%d/report", c.trackWork) }), "b=YNN ds=YYN *=NNN"},
		// The cockpit (issue 18): the three bodies' co-leaders, the bureau
		// and the watchdogs, of the court and the courts above it.
		"GET /overview":       {rec(func(c courtFx) string { return "/overview?court=" + url.QueryEscape(c.code) }), "bds=YYN *=NNN"},
		"GET /overview.xlsx":  {rec(func(c courtFx) string { return "/overview.xlsx?court=" + url.QueryEscape(c.code) }), "bds=YYN *=NNN"},
		"GET /overview/trend": {rec(func(c courtFx) string { return "/overview/trend?key=trips.on_time&court=" + url.QueryEscape(c.code) }), "bds=YYN *=NNN"},
		"GET /overview/trend.xlsx": {rec(func(c courtFx) string {
			return "/overview/trend.xlsx?key=trips.on_time&court=" + url.QueryEscape(c.code)
		}), "bds=YYN *=NNN"},
		"GET /tracking/stats":           {fixed("/tracking/stats"), "bds=Y *=N"},
		"GET /tracking/stats.xlsx":      {fixed("/tracking/stats.xlsx"), "bds=Y *=N"},
		"GET /dispositions/new":         {fixed("/dispositions/new"), "ds=Y *=N"},
		"POST /dispositions":            {fixed("/dispositions"), "ds=Y *=N"},
		"GET /dispositions/{id}":        {rec(func(c courtFx) string { return fmt.Sprintf("/dispositions/%d", c.disposition) }), "ds=YYN *=NNN"},
		"POST /dispositions/{id}/talks": {rec(func(c courtFx) string { return fmt.Sprintf("/dispositions/%d/talks", c.disposition) }), "ds=YYN *=NNN"},
		"GET /dispositions/counts.xlsx": {fixed("/dispositions/counts.xlsx?by=department&period=year"), "ds=Y *=N"},

		// Integrity records and early warnings (issue 18): the watchdogs of
		// the officer's court and above, nobody else — not the officer, his
		// head, the command centre or the bureau (the officer never sees
		// his own: TestIntegrityPagesSecrecy). A dismissal without its
		// reason is refused beside its field (422).
		"GET /integrity":                      {fixed("/integrity"), "ds=Y *=N"},
		"GET /integrity.xlsx":                 {fixed("/integrity.xlsx"), "ds=Y *=N"},
		"POST /integrity/evaluate":            {fixed("/integrity/evaluate"), "ds=Y *=N"},
		"GET /integrity/{id}":                 {rec(func(c courtFx) string { return fmt.Sprintf("/integrity/%d", c.user) }), "ds=YYN *=NNN"},
		"POST /integrity/warnings/{id}/{act}": {rec(func(c courtFx) string { return fmt.Sprintf("/integrity/warnings/%d/dismiss", c.warning) }), "ds=YYN *=NNN"},

		// The periodic report: the court's bureau and group draft and
		// submit, its 监察室 reads; the court above reads once submitted,
		// follows who has (鲁01 has courts below) and its bureau or group
		// returns (empty reason: 422). The fixtures' reports are submitted:
		// an edit of its own is a conflict (409).
		"GET /reports":                  {fixed("/reports"), "bds=Y *=N"},
		"GET /reports/new":              {fixed("/reports/new"), "bd=Y *=N"},
		"POST /reports":                 {fixed("/reports"), "bd=Y *=N"},
		"GET /reports/status":           {fixed("/reports/status"), "bds=Y *=N"},
		"POST /reports/remind":          {fixed("/reports/remind"), "bds=Y *=N"},
		"GET /reports/combined":         {fixed("/reports/combined"), "bds=Y *=N"},
		"GET /reports/combined.docx":    {fixed("/reports/combined.docx"), "bds=Y *=N"},
		"GET /reports/{id}":             {rec(func(c courtFx) string { return fmt.Sprintf("/reports/%d", c.runReport) }), "bds=YYN *=NNN"},
		"POST /reports/{id}":            {rec(func(c courtFx) string { return fmt.Sprintf("/reports/%d", c.runReport) }), "bd=YNN *=NNN"},
		"POST /reports/{id}/{act}":      {rec(func(c courtFx) string { return fmt.Sprintf("/reports/%d/return", c.runReport) }), "bd=NYN *=NNN"},
		"GET /reports/{id}/print":       {rec(func(c courtFx) string { return fmt.Sprintf("/reports/%d/print", c.runReport) }), "bds=YYN *=NNN"},
		"GET /reports/{id}/report.docx": {rec(func(c courtFx) string { return fmt.Sprintf("/reports/%d/report.docx", c.runReport) }), "bds=YYN *=NNN"},

		// The API answers bearer tokens only.
		"GET /api/v1/me":                  {fixed("/api/v1/me"), "ohcbds=Y *=1 x=1 p=1"},
		"POST /api/v1/cases":              {fixed("/api/v1/cases"), "cb=Y ohds=N *=1 x=1 p=1"},
		"GET /api/v1/cases":               {fixed("/api/v1/cases"), "ohcbds=Y *=1 x=1 p=1"},
		"GET /api/v1/cases/{caseNo}":      {rec(func(c courtFx) string { return "/api/v1/cases/" + url.PathEscape(c.caseNo) }), "hc=YNN bds=YYN o=NNN *=111 x=111 p=111"},
		"GET /api/v1/complaints":          {fixed("/api/v1/complaints"), "cbds=Y oh=N *=1 x=1 p=1"},
		"POST /api/v1/complaints":         {fixed("/api/v1/complaints"), "cbds=Y oh=N *=1 x=1 p=1"},
		"GET /api/v1/rectifications":      {fixed("/api/v1/rectifications"), "bds=Y ohc=N *=1 x=1 p=1"},
		"GET /api/v1/clues":               {fixed("/api/v1/clues"), "ds=Y ohcb=N *=1 x=1 p=1"},
		"GET /api/v1/tracking/candidates": {fixed("/api/v1/tracking/candidates"), "bds=Y ohc=N *=1 x=1 p=1"},
		"GET /api/v1/inspections":         {fixed("/api/v1/inspections"), "cbds=Y oh=N *=1 x=1 p=1"},
		"GET /api/v1/tracking":            {fixed("/api/v1/tracking"), "bds=Y ohc=N *=1 x=1 p=1"},
		"GET /api/v1/overview":            {rec(func(c courtFx) string { return "/api/v1/overview?year=2026&court=" + url.QueryEscape(c.code) }), "bds=YYN ohc=NNN *=111 x=111 p=111"},
		"GET /api/v1/openapi.json":        {fixed("/api/v1/openapi.json"), "*=Y x=Y p=Y"},
		"/api/v1/":                        {fixed("/api/v1/nothing"), "*=4 x=4 p=4"},
		"/":                               {fixed("/no/such/page"), "*=4 x=4 p=4"},
	}

	patterns := slices.Concat(e.app.Web.Routes(), e.app.API.Routes())
	var missing []string
	for _, p := range patterns {
		if _, ok := rows[p]; !ok {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("routes without a row in TestRouteMatrix (say who may use them): %q", missing)
	}
	for p := range rows {
		if !slices.Contains(patterns, p) {
			t.Errorf("row for %q, which is not a route", p)
		}
	}

	actors := []string{"o", "h", "c", "b", "d", "s", "a", "k", "u", "x", "p"}
	clients := fx.clients
	// Logging out ends the session: it goes last.
	order := slices.Sorted(func(yield func(string) bool) {
		for p := range rows {
			if !yield(p) {
				return
			}
		}
	})
	i := slices.Index(order, "POST /logout")
	order = append(append(order[:i:i], order[i+1:]...), "POST /logout")
	checked := 0
	for _, pattern := range order {
		r := rows[pattern]
		method, _, found := strings.Cut(pattern, " ")
		if !found {
			method = "GET"
		}
		want := parseExpectations(t, pattern, r.exp, actors)
		scopes := []int{-1}
		// A row of three letters asks about the three courts' records, by
		// path or, for a court-scoped page (/overview?court=…), by query.
		if len(want["o"]) == 3 {
			scopes = []int{0, 1, 2}
		}
		for _, actor := range actors {
			for si, scope := range scopes {
				path := r.path(scope)
				got := clients[actor].ask(method, path, strings.HasPrefix(pattern, "GET /api/") || strings.HasPrefix(pattern, "POST /api/"))
				if len(want[actor]) == 0 {
					t.Fatalf("%s: no answer for %s", pattern, actorName[actor])
				}
				exp := want[actor][min(si, len(want[actor])-1)]
				checked++
				if !answerIs(got, exp) {
					t.Errorf("%s %s as %s: %d %s, want %c", method, path, actorName[actor], got.status, got.header.Get("Location"), exp)
				}
			}
		}
	}
	t.Logf("%d routes, %d answers checked", len(rows), checked)
}

var actorName = map[string]string{"o": "officer", "h": "dept_head", "c": "command_center", "b": "bureau", "d": "discipline_group",
	"s": "supervision_office", "a": "admin", "k": "security_admin", "u": "auditor", "x": "logged out", "p": "pending second factor"}

// parseExpectations reads "cbd=YNN *=N" into a letter string per actor.
// A session route's logged-out and pending answers default to L and M
// (a pending POST is refused); public routes name them.
func parseExpectations(t *testing.T, pattern, exp string, actors []string) map[string]string {
	t.Helper()
	out := map[string]string{}
	def := ""
	for _, group := range strings.Fields(exp) {
		who, letters, ok := strings.Cut(group, "=")
		if !ok {
			t.Fatalf("%s: bad group %q", pattern, group)
		}
		if who == "*" {
			def = letters
			continue
		}
		for _, a := range who {
			out[string(a)] = letters
		}
	}
	n := len(def)
	for _, a := range actors {
		if _, ok := out[a]; ok {
			continue
		}
		switch a {
		case "x":
			out[a] = strings.Repeat("L", n)
		case "p":
			if strings.HasPrefix(pattern, "GET ") {
				out[a] = strings.Repeat("M", n)
			} else {
				out[a] = strings.Repeat("N", n)
			}
		default:
			out[a] = def
		}
	}
	return out
}

func answerIs(r resp, exp byte) bool {
	loc := r.header.Get("Location")
	redirect := r.status == http.StatusSeeOther || r.status == http.StatusFound
	switch exp {
	case 'Y':
		if redirect {
			return !strings.HasPrefix(loc, "/login") && loc != "/account/password"
		}
		return r.status < 300 || r.status == http.StatusConflict || r.status == http.StatusUnprocessableEntity
	case 'N':
		return r.status == http.StatusForbidden || r.status == http.StatusNotFound
	case 'L':
		return redirect && strings.HasPrefix(loc, "/login") && !strings.HasPrefix(loc, "/login/2fa")
	case 'M':
		return redirect && strings.HasPrefix(loc, "/login/2fa")
	case 'H':
		return redirect && loc == "/"
	case '4':
		return r.status == http.StatusNotFound
	case '1':
		return r.status == http.StatusUnauthorized
	case '3':
		return r.status == http.StatusMovedPermanently
	case 'G':
		// The party's link, for a token that is not there: gone, or the
		// per-address limit of the party's page.
		return r.status == http.StatusNotFound || r.status == http.StatusTooManyRequests
	}
	return false
}
