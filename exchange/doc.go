// Package exchange is the AEO data exchange between administrations:
// the record format partners send each other, the export of records from
// an authorization's lifecycle state and audit trail, and the registry of
// partner statuses that imports them, which the selectivity profile and
// the benefits read.
//
// The WCO AEO Implementation Guidance lists among the IT needs of an AEO
// programme the ability to "exchange AEO data with other Mutual
// Recognition countries", and warns that a customs union with a joint AEO
// concept "will have to consider timely exchange of information". The
// same format serves both: an MRA or CMAA partner's statuses, and the
// shared register of a union, whose members each keep a copy.
//
// # Format
//
// An exchange file ([Batch]) is a JSON object (its JSON Schema is
// schema/exchange.json in the repository, printed by `aeo schema
// exchange`):
//
//	{
//	  "format": "aeo-exchange/1",
//	  "issuer": "XA",
//	  "issued": "2025-09-01T08:00:00Z",
//	  "records": [{
//	    "issuer": "XA", "programme": "Example Union AEO", "seq": 9,
//	    "issued": "2025-09-01T08:00:00Z",
//	    "operator": {"national_id": "XA-000123", "tin": "XA123456789", "name": "Alpha Logistics"},
//	    "status": "partly_suspended",
//	    "types": [
//	      {"type": "AEOC", "granted": "2025-03-20", "suspended": "2025-08-04"},
//	      {"type": "AEOS", "granted": "2025-03-20"}
//	    ],
//	    "agreement": {"basis": "union", "name": "Example Customs Union", "start": "2025-01-01"}
//	  }]
//	}
//
// A [Record] names the operator (national identifier and trader
// identification number, name, country), its status and the
// authorization types held with their grade and the days of their grant,
// suspension, lifting and revocation, the day the authorization ended if
// it did, the arrangement (basis, name, start) and the operator's consent.
// Dates are days (2025-07-01); times of issue are RFC 3339. A record is a
// snapshot: seq (the length of the operator's audit trail when it was
// made) orders the records of one operator, and a later one replaces an
// earlier one. A record whose consent carries a withdrawal day is a
// withdrawal notice: it names the operator and nothing else.
//
// # Consent
//
// Data goes to a partner only with the operator's consent to that partner,
// recorded in its lifecycle (give_consent, withdraw_consent); each sending
// is an export_records event of its trail naming who sent which records to
// whom. A withdrawal stops further sending, and puts a notice to each
// partner that received data on the officer's work queue; a partner that
// imports the notice deletes the data and stops recognising the status.
// The status at home is unchanged. Members of a customs union share the
// status by law and need no consent.
//
// # Imports are all or nothing
//
// [Registry.Import] checks every record of a file and applies none unless
// all are valid, reporting every problem at once in an [*ImportError]. A
// file is one sending of a partner's register: applying its valid part
// would leave a register the partner never had (a suspension without the
// lifting sent beside it), and the valid records would be refused as
// duplicates when the partner sends the corrected file again. Refused
// whole, the file is corrected and sent again as it is.
//
// A file is refused when its issuer is not a partner of the programme, or
// a record names another programme or arrangement than the partner's, a
// type the arrangement does not cover (an MRA may cover security types
// only), dates that contradict each other or its status (lifted before
// suspended, a date after the record was made), is in the file twice or
// was imported before, is older than the record held, carries no consent
// where the arrangement needs one, or, within a union, reports on a
// status that another member granted and that still stands: only the
// competent member suspends or revokes.
//
// # Fail closed
//
// [Registry.Standing] recognises an operator only when the registry holds
// a record of it, its consent stands, the arrangement applies on the day
// and a covered type is in force then. Anything else, an operator the
// registry does not know included, is not recognised: an unknown partner
// status never lowers a lane or grants a benefit.
//
// # Concurrency
//
// A [Registry] is safe for concurrent use: imports are atomic, and
// lookups see a registry before or after an import, never during one. An
// [Exporter] is immutable. Records, batches and standings are plain data.
package exchange
