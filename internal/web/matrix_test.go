package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zhilian/zhilian/internal/app"
	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/testdb"
	"github.com/zhilian/zhilian/internal/tracking"
	"github.com/zhilian/zhilian/internal/trip"
	"github.com/zhilian/zhilian/internal/visit"
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
		"GET /tracking/stats":            {fixed("/tracking/stats"), "bds=Y *=N"},
		"GET /tracking/stats.xlsx":       {fixed("/tracking/stats.xlsx"), "bds=Y *=N"},
		"GET /dispositions/new":          {fixed("/dispositions/new"), "ds=Y *=N"},
		"POST /dispositions":             {fixed("/dispositions"), "ds=Y *=N"},
		"GET /dispositions/{id}":         {rec(func(c courtFx) string { return fmt.Sprintf("/dispositions/%d", c.disposition) }), "ds=YYN *=NNN"},
		"POST /dispositions/{id}/talks":  {rec(func(c courtFx) string { return fmt.Sprintf("/dispositions/%d/talks", c.disposition) }), "ds=YYN *=NNN"},
		"GET /dispositions/counts.xlsx":  {fixed("/dispositions/counts.xlsx?by=department&period=year"), "ds=Y *=N"},

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
		if strings.Contains(pattern, "{") && len(want["o"]) == 3 {
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

// matrixClient is one viewer: a browser with its session, and an API token.
type matrixClient struct {
	b     *browser
	token string
}

func (c *matrixClient) ask(method, path string, api bool) resp {
	req, _ := http.NewRequest(method, c.b.e.srv.URL+path, strings.NewReader(""))
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", c.b.e.srv.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	if api {
		if c.token != "" {
			req.Header.Set("Authorization", "Bearer "+c.token)
		}
		req.Header.Set("Content-Type", "application/json")
		if method == http.MethodPost {
			req.Body = http.NoBody
			req, _ = http.NewRequest(method, c.b.e.srv.URL+path, strings.NewReader(`{"cases": [{"case_no": "（2026）鲁01执99号", "filed_on": "2026-01-05"}]}`))
			req.Header.Set("Content-Type", "application/json")
			if c.token != "" {
				req.Header.Set("Authorization", "Bearer "+c.token)
			}
		}
	}
	return c.b.do(req)
}

// newMatrixEnv is the program with every route there is: the HTTP
// gateway's callback too.
func newMatrixEnv(t *testing.T) *env {
	t.Helper()
	cfg := app.Config{DB: testdb.DSN(t), Key: testdb.Key, Params: testdb.CheapParams, SMS: "http", UploadDir: t.TempDir()}
	cfg.HTTP.URL, cfg.HTTP.Secret = "http://127.0.0.1:9/sms", "matrix-secret"
	a, err := app.Open(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return newEnvFor(t, a)
}

// courtFx are the records of one court the matrix asks about.
type courtFx struct {
	code, caseNo                                                     string
	caseID, party, visit, batch, sms, reply, trip, review, imp, user int64
	grant, token, request, message, complaint, clue, disposition     int64
	rect, rectItem, attachment                                       int64
	finding                                                          int64 // an open patrol finding on the case
	tracking                                                         int64
	trackWork                                                        int64 // a tracking its working group closed with its report
	inspection, inspTarget, inspFinding                              int64 // a case review in 筹备, its target and a finding
}

type fixtures struct {
	courts  [3]courtFx
	clients map[string]*matrixClient
	asset   string
}

// matrixFixtures makes the viewers at 鲁01 and, at each of 鲁01, 鲁0102 and
// 鲁02, a closed case with a return visit, its message and a stray reply,
// a reported trip under review, an import, an account with a pending
// grant and an API token.
func matrixFixtures(t *testing.T, e *env) *fixtures {
	t.Helper()
	ctx := context.Background()
	db := e.app.DB
	sys := domain.SystemViewer("t")
	fx := &fixtures{clients: map[string]*matrixClient{}}
	roles := map[string]domain.Role{"o": domain.RoleOfficer, "h": domain.RoleDeptHead, "c": domain.RoleCommandCenter, "b": domain.RoleBureau,
		"d": domain.RoleDisciplineGroup, "s": domain.RoleSupervisionOffice, "a": domain.RoleAdmin, "k": domain.RoleSecurityAdmin, "u": domain.RoleAuditor}
	mids := map[string]int64{}
	for a, role := range roles {
		dept := map[string]string{"o": "执行一庭", "h": "执行一庭", "c": "执行指挥中心", "b": "执行局", "d": "派驻纪检监察组", "s": "监察室"}[a]
		if dept == "" {
			dept = "信息技术处"
		}
		mids[a] = testdb.AddUser(t, db, "m."+string(role), "鲁01", dept, role).ID
	}
	// A security administrator above, who asks for the grants.
	asker := testdb.AddUser(t, db, "m.asker", "鲁", "信息技术处", domain.RoleSecurityAdmin)
	now := db.Now()
	for i, code := range []string{"鲁01", "鲁0102", "鲁02"} {
		c := &fx.courts[i]
		c.code = code
		off := testdb.AddUser(t, db, fmt.Sprintf("fx.off%d", i), code, "执行一庭", domain.RoleOfficer)
		testdb.AddUser(t, db, fmt.Sprintf("fx.cc%d", i), code, "执行指挥中心", domain.RoleCommandCenter)
		c.user = off.ID
		c.caseNo = fmt.Sprintf("（2026）%s执1号", code)
		no, _ := domain.ParseCaseNo(c.caseNo, domain.DefaultCaseTypes)
		k := &domain.Case{No: no, FiledOn: domain.MustDate("2026-02-02"), ClosedOn: domain.MustDate("2026-10-10"), ClosingMode: "执行完毕", Officer: off.Name, Department: "执行一庭",
			Parties: []domain.Party{{Role: domain.Applicant, Name: "王芳", Phone: fmt.Sprintf("1380000000%d", i)}}}
		if err := db.Update(ctx, sys, func(tx *store.Tx) error { _, err := tx.UpsertCases(ctx, []*domain.Case{k}, nil); return err }); err != nil {
			t.Fatal(err)
		}
		c.caseID = k.ID
		c.finding = patrolFixture(t, db, k.ID, code)
		cid, err := db.RegisterComplaint(ctx, sys, code, oversight.Complaint{Kind: oversight.KindPetition, Channel: "来访",
			ReceivedOn: domain.DateOf(now, domain.Beijing), CaseNumbers: []string{k.Number}, Content: "矩阵测试", Level: oversight.LevelCourt, Repeat: 1})
		if err != nil {
			t.Fatal(err)
		}
		c.complaint = cid
		// A suggestion from the court's own watchdog, an item for its
		// officer from its bureau, and a scan kept with it.
		grp := domain.ViewerFor(testdb.AddUser(t, db, fmt.Sprintf("fx.grp%d", i), code, "派驻纪检监察组", domain.RoleDisciplineGroup), "")
		bur := domain.ViewerFor(testdb.AddUser(t, db, fmt.Sprintf("fx.bur%d", i), code, "执行局", domain.RoleBureau), "")
		today := domain.DateOf(now, domain.Beijing)
		if c.rect, err = db.IssueSuggestion(ctx, grp, code, oversight.Suggestion{Problem: "执行款发放不及时", Improve: "建立台账", Deadline: today.AddDays(30)}); err != nil {
			t.Fatal(err)
		}
		if c.rectItem, err = db.AddRectItem(ctx, bur, c.rect, oversight.Item{Unit: "执行一庭", Responsible: off.ID, Deadline: today.AddDays(20), Task: "建立台账"}); err != nil {
			t.Fatal(err)
		}
		if c.attachment, err = db.AddItemFile(ctx, bur, c.rect, c.rectItem, "scan.pdf", []byte("%PDF-1.4\n%%EOF\n")); err != nil {
			t.Fatal(err)
		}
		// A key-case tracking in consultation: the bureau evaluated it and
		// recorded the consultation of the three bodies.
		if c.tracking, err = db.OpenTracking(ctx, sys, k.ID, today); err != nil {
			t.Fatal(err)
		}
		ev, err := tracking.NewEvaluation(tracking.DefaultFactors(), map[string]string{"amount": "3", "parties": "3", "media": "3", "complaints": "3", "findings": "3"},
			tracking.ResultTrack, "矩阵测试")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Evaluate(ctx, bur, c.tracking, ev); err != nil {
			t.Fatal(err)
		}
		if err := db.OpenConsultation(ctx, bur, c.tracking, &tracking.Consultation{Date: today, Minutes: "矩阵测试",
			Participants: map[domain.Role]string{domain.RoleBureau: "甲", domain.RoleDisciplineGroup: "乙", domain.RoleSupervisionOffice: "丙"}}); err != nil {
			t.Fatal(err)
		}
		c.trackWork = closedTrackingFixture(t, e, code, i)
		// A case review organised by the court: at 鲁01 by the matrix's own
		// bureau, 纪检监察组 and 监察室, elsewhere by the court's.
		sup := testdb.AddUser(t, db, fmt.Sprintf("fx.sup%d", i), code, "监察室", domain.RoleSupervisionOffice)
		group, lead := []int64{bur.UserID, grp.UserID, sup.ID}, bur
		if i == 0 {
			group = []int64{mids["b"], mids["d"], mids["s"]}
			lead = domain.Viewer{UserID: mids["b"], CourtPath: bur.CourtPath, CourtCode: code, CourtID: bur.CourtID, Roles: []domain.Role{domain.RoleBureau}}
		}
		if c.inspection, err = db.CreateInspection(ctx, lead, store.InspectionInput{Campaign: inspection.Campaign{Kind: inspection.KindCaseReview,
			Theme: inspection.ThemeMoney, Title: "矩阵评查", From: today.AddDays(-90), To: today}, Courts: []string{code}, MemberIDs: group, LeaderID: group[0],
			PerCourt: 1, Thresholds: inspection.DefaultThresholds(), AnswerDays: 7}); err != nil {
			t.Fatal(err)
		}
		// Its one target, the court's case picked, and a finding about the
		// officer written straight in (no step reaches one in 筹备).
		if err := db.PickInspectionCase(ctx, lead, c.inspection, c.caseNo, "矩阵测试"); err != nil {
			t.Fatal(err)
		}
		if ts, err := db.InspectionTargets(ctx, lead, c.inspection); err != nil || len(ts) != 1 {
			t.Fatalf("matrix targets: %v", err)
		} else {
			c.inspTarget = ts[0].ID
		}
		q := "INSERT INTO inspection_findings (campaign_id, target_id, court_id, officer_id, category, severity, text, answer_due, created_at) " +
			"SELECT campaign_id, id, court_id, officer_id, '其他', 'minor', '矩阵测试', '2099-01-01', created_at FROM inspection_targets WHERE id = ? RETURNING id"
		if db.Engine == store.Postgres {
			q = strings.Replace(q, "?", "$1", 1)
		}
		if err := db.WriteDB().QueryRow(q, c.inspTarget).Scan(&c.inspFinding); err != nil {
			t.Fatal(err)
		}
		if c.clue, err = db.RegisterClue(ctx, sys, code, oversight.Clue{Source: oversight.SourceComplaint, SourceID: cid, Persons: []string{off.Username},
			Summary: "矩阵测试"}, ""); err != nil {
			t.Fatal(err)
		}
		if c.disposition, err = db.RecordDisposition(ctx, sys, code, oversight.Disposition{Person: off.Username, Form: 1, Measure: "谈话提醒",
			Basis: "矩阵测试", Decider: "纪检监察组", DecidedOn: domain.DateOf(now, domain.Beijing)}); err != nil {
			t.Fatal(err)
		}
		full, err := db.CaseByID(ctx, sys, k.ID)
		if err != nil || len(full.Parties) != 1 {
			t.Fatal(err)
		}
		c.party = full.Parties[0].ID
		b, _, err := db.DrawBatch(ctx, domain.SystemViewer("job"), code, "2026-10", visit.DefaultDrawRule())
		if err != nil {
			t.Fatal(err)
		}
		c.batch = b.ID
		if _, err := db.StartNewVisits(ctx, visit.DefaultConfig()); err != nil {
			t.Fatal(err)
		}
		vs, _ := db.Visits(ctx, sys, store.VisitFilter{})
		for _, v := range vs {
			if v.CaseID == k.ID {
				c.visit = v.ID
			}
		}
		if err := db.WriteDB().QueryRow(e.rebind("SELECT id FROM sms_outbox WHERE visit_id = ?"), c.visit).Scan(&c.sms); err != nil {
			t.Fatal(err)
		}
		// The message's fate is unknown, for the command centre to settle.
		if _, err := db.WriteDB().Exec(e.rebind("UPDATE sms_outbox SET status = 'unknown' WHERE id = ?"), c.sms); err != nil {
			t.Fatal(err)
		}
		if _, err := db.WriteDB().Exec(e.rebind("UPDATE visits SET step = 'closed' WHERE id = ?"), c.visit); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ReceiveReply(ctx, fmt.Sprintf("1380000000%d", i), "还有一件事", now, visit.DefaultConfig()); err != nil {
			t.Fatal(err)
		}
		if _, err := db.WriteDB().Exec(e.rebind("UPDATE visits SET step = 'phone_pending' WHERE id = ?"), c.visit); err != nil {
			t.Fatal(err)
		}
		if err := db.WriteDB().QueryRow("SELECT MAX(id) FROM sms_inbox").Scan(&c.reply); err != nil {
			t.Fatal(err)
		}
		// A trip of the court's officer, reported with 有: under review.
		dest := map[string]string{"鲁01": "370203", "鲁0102": "370203", "鲁02": "370102"}[code]
		ov := domain.ViewerFor(off, "")
		tr, err := db.CreateTrip(ctx, ov, trip.Plan{CaseNumbers: []string{k.Number}, Destinations: []string{dest}, DepartAt: now.Add(-72 * time.Hour),
			ReturnAt: now.Add(-48 * time.Hour), Task: "查控财产"}, trip.DefaultRules())
		if err != nil {
			t.Fatal(err)
		}
		c.trip = tr.ID
		answers := trip.Answers{}
		for _, it := range trip.Items {
			answers[it.Code] = it.Code == "T1"
		}
		accounts := map[int64]string{}
		for _, tc := range tr.Cases {
			accounts[tc.ID] = "查控银行账户"
		}
		if _, err := db.FileTripReport(ctx, ov, tr.ID, trip.Annex1Input{ReturnedOn: domain.DateOf(now.Add(-48*time.Hour), domain.Beijing), Answers: answers, Explanation: "同住一处", Attested: true,
			CaseAccounts: accounts}, trip.DefaultRules()); err != nil {
			t.Fatal(err)
		}
		rvs, err := db.TripReviewsOf(ctx, sys, tr.ID, 0)
		if err != nil || len(rvs) != 1 {
			t.Fatalf("reviews of the fixture trip: %v %v", rvs, err)
		}
		c.review = rvs[0].ID
		// A message to the court's officer, which no viewer may mark.
		if err := db.Update(ctx, sys, func(tx *store.Tx) error {
			return tx.Notify(ctx, []int64{off.ID}, oversight.Notice{Kind: oversight.NoticeGeneral, Title: "测试通知", Link: "/", CourtID: off.CourtID})
		}); err != nil {
			t.Fatal(err)
		}
		ms, err := db.Messages(ctx, domain.ViewerFor(off, ""), false, 1)
		if err != nil || len(ms) != 1 {
			t.Fatalf("the fixture message: %v %v", ms, err)
		}
		c.message = ms[0].ID
		if _, err := db.FileAnnex2(ctx, ov, k.ID, trip.Annex2Input{Fulfilled: true, Attested: true}); err != nil {
			t.Fatal(err)
		}
		// An import: the own court's is the command centre viewer's.
		starter := domain.ViewerFor(mustUser(t, db, fmt.Sprintf("fx.cc%d", i)), "")
		if i == 0 {
			starter = domain.ViewerFor(mustUser(t, db, "m.command_center"), "")
		}
		if c.imp, err = db.StartImport(ctx, starter, "cases.csv", 10); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishImport(ctx, starter, c.imp, store.ImportDone, "", "行,列,原因\n"); err != nil {
			t.Fatal(err)
		}
		// A grant awaiting approval, of another officer: one with a pending
		// sensitive role is the security administrator's alone to manage.
		cand := testdb.AddUser(t, db, fmt.Sprintf("fx.cand%d", i), code, "执行一庭", domain.RoleOfficer)
		err = db.Update(ctx, domain.ViewerFor(asker, ""), func(tx *store.Tx) error {
			_, err := tx.GrantRole(ctx, cand.ID, domain.RoleCommandCenter, "矩阵测试")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		gs, _ := db.RoleGrants(ctx, sys, store.GrantFilter{UserID: cand.ID, Pending: true})
		c.grant = gs[0].ID
		err = db.Update(ctx, domain.ViewerFor(asker, ""), func(tx *store.Tx) error {
			return tx.RequestReset(ctx, cand.ID, domain.ResetPassword, "矩阵测试")
		})
		if err != nil {
			t.Fatal(err)
		}
		rs, _ := db.AccountRequests(ctx, sys, true, cand.ID)
		c.request = rs[0].ID
		err = db.Update(ctx, sys, func(tx *store.Tx) error {
			_, err := tx.CreateAPIToken(ctx, off.Username, "矩阵", 0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		ts, _ := db.APITokens(ctx, sys, off.Username)
		c.token = ts[0].ID
	}
	for a, role := range roles {
		cl := &matrixClient{b: e.browser().loggedIn("m." + string(role))}
		if role.IsAdministrative() {
			// No business token for an administrator.
			fx.clients[a] = cl
			continue
		}
		if role.NeedsSecondFactor() {
			// A watchdog issues its own under a fresh code.
			r := cl.b.post("/account/tokens", url.Values{"name": {"矩阵"}, "hours": {"8"}, "code": {e.code("m." + string(role))}})
			m := ownTokenRE.FindStringSubmatch(r.body)
			if m == nil {
				t.Fatalf("%s issuing its own token: %d", role, r.status)
			}
			cl.token = m[1]
			fx.clients[a] = cl
			continue
		}
		if err := db.Update(ctx, sys, func(tx *store.Tx) error {
			var err error
			cl.token, err = tx.CreateAPIToken(ctx, "m."+string(role), "矩阵", 0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		fx.clients[a] = cl
	}
	fx.clients["x"] = &matrixClient{b: e.browser()}
	testdb.AddUser(t, db, "m.pending", "鲁01", "派驻纪检监察组", domain.RoleDisciplineGroup)
	pending := e.browser()
	if r := pending.login("m.pending", testdb.Password); r.header.Get("Location") != "/login/2fa" {
		t.Fatalf("pending viewer: %d %s", r.status, r.header.Get("Location"))
	}
	fx.clients["p"] = &matrixClient{b: pending}
	home := fx.clients["o"].b.get("/login")
	i := strings.Index(home.body, "/static/app.")
	fx.asset = home.body[i : i+strings.IndexByte(home.body[i:], '"')]
	return fx
}

func mustUser(t *testing.T, db *store.DB, username string) *domain.User {
	t.Helper()
	u, _, err := db.UserForLogin(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
