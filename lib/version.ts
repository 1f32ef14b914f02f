/** The Sluice library version, as published. */
export const SLUICE_VERSION = "0.0.0";
