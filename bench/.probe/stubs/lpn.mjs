export const parsePhoneNumberFromString=()=>{};
