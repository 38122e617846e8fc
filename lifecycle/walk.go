package lifecycle

// Walk replays t as [Machine.Replay] does, verifying it on the way, and
// calls visit with each record and the states before and after it, so that
// a caller can read the history of an authorization (when each type was
// granted, suspended, lifted or revoked) from its trail. The states are
// the caller's to keep; visit must not retain them beyond the call if it
// changes them.
func (l *Machine) Walk(t Trail, visit func(r Record, before, after Authorization)) (Authorization, error) {
	return walk(t, func(string) *Machine { return l }, visit)
}

// WalkVersions is [Machine.Walk] for a trail made under several versions
// of a programme, as [ReplayVersions] replays one.
func WalkVersions(t Trail, machine func(fingerprint string) *Machine, visit func(r Record, before, after Authorization)) (Authorization, error) {
	return walk(t, machine, visit)
}
