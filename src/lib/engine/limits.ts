/**
 * What one run may cost. A public server runs scenarios that anyone uploads, and a browser tab
 * must hold the trace: a scenario over these limits is refused with a message, never started.
 */
export const LIMITS = {
	/** parameters of a model that is run (`info` counts larger models without running them) */
	parameters: 5_000_000,
	/** bytes of recorded values and event records */
	traceBytes: 256 * 1024 * 1024,
	/** multiply-adds of the whole run (forward and backward): a few seconds of float64 loops */
	multiplyAdds: 5e9,
	/** characters of scenario text */
	textLength: 16 * 1024 * 1024,
	/**
	 * values (numbers, strings, lists, mappings) read from YAML text. The yaml library keeps about
	 * 1 KB per value while it reads: 250,000 take about 250 MB and a second or two, whereas 16 MB of
	 * `0,` would take 8 GB. A larger scenario (real images) is read as JSON, a few bytes a number.
	 */
	yamlValues: 250_000
} as const;

/**
 * Bytes a trace holds for a step besides its values and the rows of its batch (trace.ts): where
 * its events start, its layout, its epoch and where its batch starts; where its values start is
 * marked every 64 steps. What each event is comes from the step's layout, kept once for all the
 * steps that record the same events.
 */
export const STEP_RECORD_BYTES = 4 + 2 + 4 + 4;
/** Bytes a trace holds for each row of a step's batch. */
export const BATCH_ROW_BYTES = 4;
