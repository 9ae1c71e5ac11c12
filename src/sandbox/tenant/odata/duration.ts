/** ISO 8601 duration as Graph's `Edm.Duration` takes it (`P90D`, `PT8H`, `PT1H45M`, `P1Y2M`). */
export const EDM_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
