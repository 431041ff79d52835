// Package deadline computes enforcement time limits 执行期限: when a period
// set by a rule (six months to conclude a case with property, three days to
// send the execution notice…) falls due, after approved extensions, after
// the periods that by law do not count (中止、暂缓、审计评估…), and after the
// last day is moved off a rest day.
//
// It is pure: it reads calendars and rule tables from readers and does no
// other I/O, so every rule is tested with plain values.
//
// How a period is counted (Compute):
//
//   - The start day does not count (民事诉讼法第八十五条: 期间开始的时和日，
//     不计算在期间内). A period of n days filed on day S ends on S+n; a period
//     of n months ends on the same day of the month n months later, or on the
//     last day of that month when it is shorter (filed 2025-08-31, six months
//     end 2026-02-28); n working days end on the n-th working day after S.
//   - Each approved extension runs on from the end reached so far, in the
//     order of approval.
//   - Pauses (periods that do not count) are merged first, so overlapping
//     pauses count once. A pause day counts only if it lies inside the running
//     period; the period grows as days are added, so a pause that begins before
//     the due date counts in full even when it outlasts it, and a pause that
//     begins after the due date counts not at all. Start and End are both
//     days on which the clock stands still. An open pause (End zero) counts up
//     to and including today, and makes Result.Running true unless the
//     period had already run out when it began. For working-day rules only
//     the paused working days count.
//   - Holidays inside the period are not deducted. Only when the last day is
//     a rest day does it move to the next working day (民事诉讼法第八十五条:
//     期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期).
//     A Saturday the State Council made a working day (调休上班) is a working
//     day, so a period can end on it.
package deadline
