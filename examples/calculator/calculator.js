// The calculator's wiring: each form reads its fields, calls cardhsm/core and writes the results into its
// <output> elements. Errors show cardhsm's code and field (messages never contain keys, PINs or PANs).
import {
  init,
  hexToBytes,
  bytesToHex,
  generateCvv,
  generateCvv2,
  generateIcvv,
  encodePinBlockIso0,
  decodePinBlockIso0,
  encodePinBlockIso1,
  decodePinBlockIso1,
  encodePinBlockIso2,
  decodePinBlockIso2,
  encodePinBlockIso3,
  decodePinBlockIso3,
  encipherPinBlockIso4,
  decipherPinBlockIso4,
  keyCheckValue,
  parseTr31Header,
  unwrapTr31,
  isLuhnValid,
  luhnCheckDigit,
  CardHsmError,
} from 'cardhsm/core';

const status = document.getElementById('status');

/**
 * Runs `compute(fields, submitter)` on submit and writes its results; on a CardHsmError, clears the form's
 * results (none of them would belong to the new input) and shows "code on field: message".
 */
function calculator(id, compute) {
  const form = document.getElementById(id);
  const error = form.querySelector('.error');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.textContent = '';
    const fields = Object.fromEntries(new FormData(form));
    try {
      const results = compute(fields, event.submitter?.value);
      for (const [name, value] of Object.entries(results)) form.elements.namedItem(name).value = value;
    } catch (e) {
      if (!(e instanceof CardHsmError)) throw e;
      for (const output of form.querySelectorAll('output')) output.value = '';
      error.textContent = `${e.code}${e.field ? ` on "${e.field}"` : ''}: ${e.message}`;
    }
  });
}

const hex = (s) => hexToBytes(s.replace(/\s+/g, ''));

calculator('cvv', ({ cvk, pan, expiry, serviceCode }) => {
  const key = hex(cvk);
  return {
    cvv: generateCvv(key, pan, expiry, serviceCode),
    cvv2: generateCvv2(key, pan, expiry),
    icvv: generateIcvv(key, pan, expiry),
  };
});

const PIN_BLOCKS = {
  0: {
    encode: ({ pin, pan }) => encodePinBlockIso0(pin, pan),
    decode: ({ block, pan }) => decodePinBlockIso0(block, pan),
  },
  1: { encode: ({ pin }) => encodePinBlockIso1(pin), decode: ({ block }) => decodePinBlockIso1(block) },
  2: { encode: ({ pin }) => encodePinBlockIso2(pin), decode: ({ block }) => decodePinBlockIso2(block) },
  3: {
    encode: ({ pin, pan }) => encodePinBlockIso3(pin, pan),
    decode: ({ block, pan }) => decodePinBlockIso3(block, pan),
  },
  4: {
    encode: ({ pin, pan, key }) => encipherPinBlockIso4(key, pin, pan),
    decode: ({ block, pan, key }) => decipherPinBlockIso4(key, block, pan),
  },
};

calculator('pinblock', ({ format, pin, pan, key, block }, action) => {
  const f = PIN_BLOCKS[format];
  const aesKey = format === '4' ? hex(key) : undefined;
  if (action === 'decode') return { decoded: f.decode({ block: hex(block), pan, key: aesKey }), encoded: '' };
  const encoded = bytesToHex(f.encode({ pin, pan, key: aesKey }));
  document.querySelector('#pinblock [name=block]').value = encoded;
  return { encoded, decoded: '' };
});

calculator('kcv', ({ key, algorithm, method }) => ({
  kcv: keyCheckValue(hex(key), { ...(algorithm && { algorithm }), ...(method && { method }) }),
}));

calculator('tr31', ({ keyBlock, kbpk }, action) => {
  const block = keyBlock.replace(/\s+/g, '');
  const unwrapped = action === 'unwrap' ? unwrapTr31(hex(kbpk), block) : undefined;
  const header = unwrapped?.header ?? parseTr31Header(block);
  return {
    version: header.version,
    usage: header.usage,
    algorithm: header.algorithm,
    modeOfUse: header.modeOfUse,
    keyVersion: header.keyVersion,
    exportability: header.exportability,
    optionalBlocks: header.optionalBlocks.map((b) => b.id).join(', ') || 'none',
    key: unwrapped ? bytesToHex(unwrapped.key) : '',
    keyKcv: unwrapped ? keyCheckValue(unwrapped.key, header.algorithm === 'A' ? { algorithm: 'AES' } : {}) : '',
  };
});

calculator('luhn', ({ number }, action) =>
  action === 'digit'
    ? { checkDigit: luhnCheckDigit(number), valid: '' }
    : { valid: isLuhnValid(number) ? 'yes' : 'no', checkDigit: '' },
);

// Compile the kernel before the first click. Optional in current browsers (the first operation would compile it
// synchronously), required in those that refuse to compile WebAssembly synchronously on the main thread.
try {
  await init();
  status.textContent = 'Kernel ready: everything below runs in this page.';
  status.dataset.state = 'ready';
} catch (e) {
  status.textContent = `The kernel did not load: ${e.message}`;
  status.dataset.state = 'error';
}
