// Package visit holds the rules of the party return-visit mechanism
// (当事人回访机制, SPEC.md §4 and section 二 of the seed): the 附件3 form as
// data, the messages parties receive and the SMS reply parser, the criteria
// of focused visits, the provable monthly 5% draw and the escalation state
// machine (短信 → 电话 → 会商 → 实地回访). It does no I/O; every rule is a
// plain function of plain values and is tested without a database.
package visit
