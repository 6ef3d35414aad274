/**
 * The Luhn (mod 10) check that Swedish personal and organisation numbers end with, over their last ten digits:
 * weights 2, 1, 2, 1, … from the left, digit sums of the products added up.
 */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    const digit = Number(digits[index]);
    const weighted = index % 2 === 0 ? digit * 2 : digit;
    sum += weighted > 9 ? weighted - 9 : weighted;
  }
  return sum % 10 === 0;
}
