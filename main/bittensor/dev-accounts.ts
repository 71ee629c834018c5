/**
 * The local network's validators: substrate's well-known development accounts, derived from the
 * public development phrase, so any client (a Python dendrite included) can sign as one of them.
 */
export const DEV_VALIDATOR_URIS = ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve'] as const;
