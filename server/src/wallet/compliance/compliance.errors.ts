import { defineErrors } from '../../platform/index.js';

export const ComplianceError = defineErrors({
  multipart_required: {
    status: 415,
    'zh-CN': '请以 multipart/form-data 表单上传证件照片和资料',
    en: 'Send the form as multipart/form-data with the document photo',
  },
  upload_invalid: {
    status: 400,
    'zh-CN': '上传内容无效，请只上传一张证件照片',
    en: 'The upload is invalid; send one document photo with the form fields',
  },
  document_missing: {
    status: 400,
    'zh-CN': '请上传证件照片',
    en: 'Attach a photo of your identity document',
  },
  document_too_large: {
    status: 413,
    'zh-CN': '证件照片不能超过 {limit}，请压缩后重新上传',
    en: 'The document photo must be at most {limit}; make it smaller and try again',
  },
  document_type_not_supported: {
    status: 415,
    'zh-CN': '证件照片须为 JPEG、PNG 或 WebP 格式的图片',
    en: 'The document must be a JPEG, PNG or WebP image',
  },
  resident_id_format_invalid: {
    status: 422,
    'zh-CN': '身份证号码应为 18 位，由 17 位数字和 1 位数字或 X 组成',
    en: 'A resident ID number has 18 characters: 17 digits, then a digit or X',
  },
  resident_id_birth_date_invalid: {
    status: 422,
    'zh-CN': '身份证号码中的出生日期无效，请核对',
    en: 'The birth date inside the resident ID number is not valid; check the number',
  },
  resident_id_checksum_invalid: {
    status: 422,
    'zh-CN': '身份证号码校验位不正确，请核对是否输错',
    en: 'The resident ID number does not pass its check digit; check for a typo',
  },
  passport_number_invalid: {
    status: 422,
    'zh-CN': '护照号码应为 5–9 位大写字母或数字，且至少包含一位数字',
    en: 'A passport number has 5–9 capital letters or digits, with at least one digit',
  },
  verification_pending: {
    status: 409,
    'zh-CN': '您已有一份身份验证正在审核中，请等待审核结果',
    en: 'You already have an identity verification under review; wait for the result',
  },
  verification_not_found: { status: 404, 'zh-CN': '找不到该身份验证记录', en: 'Identity verification not found' },
  verification_already_reviewed: {
    status: 409,
    'zh-CN': '该身份验证已审核，不能重复处理',
    en: 'This identity verification has already been reviewed',
  },
  customer_not_found: { status: 404, 'zh-CN': '找不到该客户', en: 'Customer not found' },
  freeze_not_found: { status: 404, 'zh-CN': '找不到该冻结记录', en: 'Freeze not found' },
  freeze_already_lifted: { status: 409, 'zh-CN': '该冻结已解除', en: 'This freeze has already been lifted' },
  freeze_exists: {
    status: 409,
    'zh-CN': '该客户已有相同原因的有效冻结',
    en: 'The customer already has an active freeze for this reason',
  },
  unfreeze_request_pending: {
    status: 409,
    'zh-CN': '该冻结已有一个待审批的解冻申请',
    en: 'This freeze already has an unfreeze request waiting for approval',
  },
  unfreeze_request_not_found: { status: 404, 'zh-CN': '找不到该解冻申请', en: 'Unfreeze request not found' },
  unfreeze_request_already_decided: {
    status: 409,
    'zh-CN': '该解冻申请已处理',
    en: 'This unfreeze request has already been decided',
  },
  four_eyes_required: {
    status: 403,
    'zh-CN': '解冻需双人复核：申请人不能审批自己的申请',
    en: 'Unfreezing needs two people: the proposer cannot decide their own request',
  },
  verification_required: {
    status: 409,
    'zh-CN': '该冻结原因要求客户先通过身份验证，才能解冻',
    en: 'For this freeze reason the customer must pass identity verification before the freeze can be lifted',
  },
});
