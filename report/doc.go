// Package report renders what people look at: self-contained HTML pages
// with SVG charts, in English, French or Spanish, laid out to print on A4.
//
//   - [Dossier]: the internal dossier on an applicant, for the officer who
//     prepares the decision and the validation team: the recommendation
//     per authorization type and grade, the criteria with their tallies,
//     every finding with the values read, the thresholds missed and the
//     sources, what to verify on site, the risk matrix (likelihood ×
//     consequence, each risk placed in its cell and coloured by its
//     rating) and the plan of treatment.
//   - [Letter]: the letter to the operator: the outcome, the reasons in
//     the operator's terms, what to improve, the deadlines and the rights
//     of appeal the programme sets. It shows nothing internal.
//   - [Benefits]: the benefits ledger against the programme's baselines,
//     with a bar chart of expected and achieved per benefit.
//   - [History]: an authorization's history from its audit trail, as a
//     timeline of events, statuses, suspensions and deadlines.
//   - [Phases]: the progress of a national implementation, one bar per
//     phase with its gates.
//
// Each report is plain data with a WriteHTML method. A page holds its
// stylesheet and drawings inline: no script, no font, no picture and no
// stylesheet is fetched, so that a page can be mailed, archived with the
// decision, or printed as it is. Pages are built with html/template, which
// escapes every text taken from a programme, a profile or a trail; the
// charts are drawn in Go as SVG.
//
// # Languages
//
// The labels of every report come from message catalogues in English,
// French and Spanish (the languages of the WCO and those most used beside
// them). [Options].Language, a BCP 47 tag or an Accept-Language list, is
// matched against them with golang.org/x/text/language ([Match]); numbers
// are written as the language writes them. The texts of a programme
// (requirement titles, operator messages) are the programme's own.
//
// # Concurrency
//
// Rendering reads only immutable shared state (the parsed templates and
// catalogues); reports may be rendered from many goroutines at once. A
// report never reads the clock: every date it shows is in its data.
package report
