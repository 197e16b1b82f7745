export * from './types.ts';
export {
  xorChecksum,
  encodeFrame,
  encodeCommand,
  encodeSetMaxRfBytes,
  encodeReply,
  encodeReadBasicReply,
  commandOf,
  parseReply,
  statusError,
  decodeStatusReply,
  decodeFindCardReply,
  decodeSelectCardReply,
  decodeSamIdReply,
  decodeReadBasicReply,
  decodeAppendedAddressReply,
  FrameDecoder,
  type FrameDecoderOptions,
} from './codec.ts';
export { SW3_TABLE, sw3Info, IDCARD_FAULTS, IDCARD_TEXT, type IdCardFaultCode } from './messages.ts';
export { NATION_TABLE, nationLabel } from './nations.ts';
export { decodeTextBlock, decodeIdCard, cardTypeOf, type DecodeCardOptions } from './text-block.ts';
export { encodeTextBlock } from './text-block-encode.ts';
export { validateIdNumber, checkCharacter, ageOn, checkValidity, type IdNumberResult, type IdNumberFailure, type ValidityResult } from './id-number.ts';
export { toIsoDate, type IsoDate } from './dates.ts';
export { SAMPLE_CARDS, sampleCardAged, fakeWltPhoto, isSampleCardName, type SampleCardName } from './sample-cards.ts';
export { IdCardReaderDriver } from './driver.ts';
export { IdCardSimulator } from './simulator.ts';
export { benchDecode } from './bench.ts';
