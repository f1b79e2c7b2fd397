/**
 * The asynchronous decoders (certificates, signature checks, COSE, YAML) run through react-query,
 * keyed by what they read, so each runs once per input and a re-render never starts it again.
 * They compute over bytes already in memory; nothing here fetches.
 */
import { useQuery } from '@tanstack/react-query';
import { encodeBase64Url } from '../../oci/supply/base64';
import { readCertificatesDer, readCertificatesPem } from '../../oci/supply/certificate';
import { type SignatureRequest, verifySignature } from '../../oci/supply/signature';

const forever = { staleTime: Infinity, gcTime: 10 * 60_000, retry: false } as const;

export function useCertificatesPem(pem: string | undefined, what: string) {
  return useQuery({
    queryKey: ['supply', 'certificates-pem', pem ?? '', what],
    queryFn: () => readCertificatesPem(pem!, what),
    enabled: pem !== undefined,
    ...forever,
  });
}

export function useCertificatesDer(ders: Uint8Array[], what: string) {
  return useQuery({
    queryKey: ['supply', 'certificates-der', ders.map((d) => encodeBase64Url(d)).join('.'), what],
    queryFn: () => readCertificatesDer(ders, what),
    enabled: ders.length > 0,
    ...forever,
  });
}

/** `id` names the signature (document digest and position); the key's bytes complete the key. */
export function useSignatureCheck(id: string, request: SignatureRequest | undefined) {
  return useQuery({
    queryKey: ['supply', 'signature', id, request ? encodeBase64Url(request.key.spki) : '', request?.key.source ?? ''],
    queryFn: () => verifySignature(request!),
    enabled: request !== undefined,
    ...forever,
  });
}
